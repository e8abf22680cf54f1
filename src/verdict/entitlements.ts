// Entitlements, by name, with what each one grants and what notarization and
// the Mac App Store make of it. Sources: Apple's "Entitlements" reference
// (Hardened Runtime, App Sandbox, Debugging), "Resolving common notarization
// issues" (get-task-allow), "Configuring the macOS App Sandbox" (the App Store
// requires com.apple.security.app-sandbox), and AMFI's rule that restricted
// entitlements (com.apple.developer.*, keychain-access-groups,
// com.apple.application-identifier) need a provisioning profile that grants
// them, while com.apple.private.* are Apple's own.

export interface EntitlementInfo {
  key: string;
  /** The value as the plist or DER text gives it, shortened (`true`, `"TEAM.com.example"`, `[…]`). */
  value: string;
  meaning: string;
  /** What Apple's notary service and the Mac App Store do with it. */
  notarization: 'rejected' | 'allowed' | 'needs a profile';
  appStore: 'required' | 'rejected' | 'allowed' | 'needs a profile';
}

const KNOWN: Record<string, Omit<EntitlementInfo, 'key' | 'value'>> = {
  'com.apple.security.get-task-allow': {
    meaning: 'lets other processes (debuggers) attach to it and read its memory',
    notarization: 'rejected',
    appStore: 'rejected',
  },
  'com.apple.security.cs.allow-jit': {
    meaning: 'hardened runtime exception: may map memory writable and executable with MAP_JIT',
    notarization: 'allowed',
    appStore: 'allowed',
  },
  'com.apple.security.cs.allow-unsigned-executable-memory': {
    meaning: 'hardened runtime exception: may make unsigned memory executable without MAP_JIT',
    notarization: 'allowed',
    appStore: 'allowed',
  },
  'com.apple.security.cs.allow-dyld-environment-variables': {
    meaning: 'hardened runtime exception: dyld honours DYLD_* variables (library injection)',
    notarization: 'allowed',
    appStore: 'allowed',
  },
  'com.apple.security.cs.disable-library-validation': {
    meaning: 'hardened runtime exception: may load libraries and plug-ins signed by other teams or not signed',
    notarization: 'allowed',
    appStore: 'allowed',
  },
  'com.apple.security.cs.disable-executable-page-protection': {
    meaning: 'hardened runtime exception: turns off executable memory protection altogether',
    notarization: 'allowed',
    appStore: 'allowed',
  },
  'com.apple.security.cs.debugger': {
    meaning: 'may attach to other processes as a debugger',
    notarization: 'allowed',
    appStore: 'allowed',
  },
  'com.apple.security.app-sandbox': { meaning: 'runs in the App Sandbox', notarization: 'allowed', appStore: 'required' },
  'com.apple.security.network.client': { meaning: 'sandbox: outgoing network connections', notarization: 'allowed', appStore: 'allowed' },
  'com.apple.security.network.server': { meaning: 'sandbox: incoming network connections', notarization: 'allowed', appStore: 'allowed' },
  'com.apple.security.files.user-selected.read-only': {
    meaning: 'sandbox: read files the user chooses',
    notarization: 'allowed',
    appStore: 'allowed',
  },
  'com.apple.security.files.user-selected.read-write': {
    meaning: 'sandbox: read and write files the user chooses',
    notarization: 'allowed',
    appStore: 'allowed',
  },
  'com.apple.security.device.camera': { meaning: 'the camera (the user is still asked)', notarization: 'allowed', appStore: 'allowed' },
  'com.apple.security.device.audio-input': {
    meaning: 'the microphone (the user is still asked)',
    notarization: 'allowed',
    appStore: 'allowed',
  },
  'com.apple.security.automation.apple-events': {
    meaning: 'may send Apple Events to other apps (the user is still asked)',
    notarization: 'allowed',
    appStore: 'allowed',
  },
  'com.apple.security.inherit': {
    meaning: 'sandbox: a helper inherits its parent app’s sandbox',
    notarization: 'allowed',
    appStore: 'allowed',
  },
  'com.apple.application-identifier': {
    meaning: 'the app ID (TEAMID.bundle-id) its provisioning profile grants',
    notarization: 'needs a profile',
    appStore: 'needs a profile',
  },
  'com.apple.developer.team-identifier': {
    meaning: 'the team its provisioning profile belongs to',
    notarization: 'needs a profile',
    appStore: 'needs a profile',
  },
  'keychain-access-groups': {
    meaning: 'keychain groups it may share items in',
    notarization: 'needs a profile',
    appStore: 'needs a profile',
  },
};

/** What an entitlement not in the table above is, from its name. */
function byPrefix(key: string): Omit<EntitlementInfo, 'key' | 'value'> {
  if (key.startsWith('com.apple.private.'))
    return {
      meaning: "Apple's private entitlement: macOS grants it only to Apple's own code",
      notarization: 'rejected',
      appStore: 'rejected',
    };
  if (key.startsWith('com.apple.developer.'))
    return {
      meaning: 'a capability (restricted: a provisioning profile must grant it)',
      notarization: 'needs a profile',
      appStore: 'needs a profile',
    };
  if (key.startsWith('com.apple.security.temporary-exception.'))
    return { meaning: 'sandbox temporary exception', notarization: 'allowed', appStore: 'allowed' };
  return { meaning: 'not one binlens knows', notarization: 'allowed', appStore: 'allowed' };
}

const MAX_ENTITLEMENTS = 512;

/** Top-level entitlements of the plist (XML) or the DER text binlens renders (`"key": value` at one indent). */
export function entitlementList(text: string | null): EntitlementInfo[] {
  if (!text) return [];
  const out: EntitlementInfo[] = [];
  const add = (key: string, value: string) => {
    if (out.length < MAX_ENTITLEMENTS && !out.some((e) => e.key === key))
      out.push({ key, value: value.length > 80 ? value.slice(0, 79) + '…' : value, ...(KNOWN[key] ?? byPrefix(key)) });
  };
  if (/^\s*(<\?xml|<!DOCTYPE|<plist)/.test(text)) {
    for (const m of text
      .slice(0, 1 << 20)
      .matchAll(
        /<key>([^<]{1,512})<\/key>\s*(<true\s*\/>|<false\s*\/>|<string>([^<]{0,512})<\/string>|<integer>([^<]{0,64})<\/integer>|<array|<dict)/g,
      )) {
      const v = m[2]!.startsWith('<true')
        ? 'true'
        : m[2]!.startsWith('<false')
          ? 'false'
          : m[3] !== undefined
            ? JSON.stringify(m[3])
            : m[4] !== undefined
              ? m[4]
              : m[2] === '<array'
                ? '[…]'
                : '{…}';
      add(m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'), v);
    }
  } else {
    for (const m of text.slice(0, 1 << 20).matchAll(/^ {2}"((?:[^"\\]|\\.){1,512})": (.*?),?$/gm)) {
      let key: string;
      try {
        key = JSON.parse(`"${m[1]}"`) as string;
      } catch {
        continue;
      }
      add(key, m[2] === '[' ? '[…]' : m[2] === '{' ? '{…}' : m[2]!);
    }
  }
  return out;
}

/** True when the entitlement is present with the value true. */
export function entitled(list: EntitlementInfo[], key: string): boolean {
  return list.some((e) => e.key === key && e.value === 'true');
}
