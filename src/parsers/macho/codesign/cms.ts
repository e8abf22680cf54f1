// The CMS blob of a code signature (CSSLOT_SIGNATURESLOT, RFC 5652 SignedData
// with detached content), read with PKI.js and ASN1.js — loaded only when a
// signature carries one. What codesign puts there:
//   - the certificates, signer first ("Developer ID Application: NAME (TEAMID)",
//     "Developer ID Certification Authority", "Apple Root CA");
//   - signed attributes: contentType, signingTime, messageDigest (the hash of
//     the CodeDirectory in slot 0, the detached content), Apple's CDHashes
//     plist (1.2.840.113635.100.9.1: every CodeDirectory's CDHash, 20 bytes)
//     and CDHashes2 (1.2.840.113635.100.9.2: each one's full hash with its
//     algorithm);
//   - an unsigned attribute with an RFC 3161 timestamp token when signed with
//     --timestamp (id-aa-timeStampToken, 1.2.840.113549.1.9.16.2.14).
// Certificate revocation and notarization are online questions: not here.

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { SignatureCms } from '../../../report/types.ts';
import type { DigestMany, HashAlgorithm } from './digest.ts';

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_TIMESTAMP_TOKEN = '1.2.840.113549.1.9.16.2.14';
const OID_CDHASHES_PLIST = '1.2.840.113635.100.9.1';
const OID_CDHASHES2 = '1.2.840.113635.100.9.2';

const DIGESTS: Record<string, HashAlgorithm> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
};

/** Short names of the attributes certificate names use (RFC 4519, and PKCS #9 emailAddress). */
const NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** Most certificates listed: Apple chains have three. */
const MAX_CHAIN = 16;

export interface CmsDirectory {
  slot: number;
  /** The CodeDirectory blob, as the CMS signs it. */
  bytes: Uint8Array;
  /** Its full hash with its own hash type, and that type's WebCrypto name. */
  hash: Uint8Array;
  alg: HashAlgorithm;
}

/** Thrown for a CMS blob that is not SignedData; the caller reports the message. */
export class CmsError extends Error {}

function nameText(n: pkijs.RelativeDistinguishedNames): string {
  return n.typesAndValues
    .map((tv) => {
      const v = tv.value as { valueBlock?: { value?: unknown } };
      const value = typeof v.valueBlock?.value === 'string' ? v.valueBlock.value : '#…';
      return `${NAMES[tv.type] ?? tv.type}=${value}`;
    })
    .join(', ');
}

function bytesOf(b: ArrayBuffer | ArrayBufferView): Uint8Array {
  return b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function base64(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function attribute(attrs: pkijs.Attribute[] | undefined, oid: string): unknown[] | null {
  return attrs?.find((a) => a.type === oid)?.values ?? null;
}

/** Reads the CMS blob's payload and checks what it signs against the CodeDirectories. */
// eslint-disable-next-line max-lines-per-function -- the CMS SignedData walked in its ASN.1 order, each part checked as it is read
export async function readCmsSignature(
  blob: Uint8Array,
  directories: CmsDirectory[],
  digest: DigestMany,
): Promise<SignatureCms & { problems: string[]; failures: string[] }> {
  /** What could not be read or checked (said, not decisive). */
  const problems: string[] = [];
  /** What makes the signature invalid. */
  const failures: string[] = [];
  const asn1 = asn1js.fromBER(blob as Uint8Array<ArrayBuffer>);
  if (asn1.offset === -1) throw new CmsError(`the CMS blob is not DER (${asn1.result.error || 'unreadable'})`);
  let signed: pkijs.SignedData;
  try {
    const info = new pkijs.ContentInfo({ schema: asn1.result });
    if (info.contentType !== OID_SIGNED_DATA) throw new CmsError(`the CMS blob holds ${info.contentType}, not SignedData`);
    signed = new pkijs.SignedData({ schema: info.content });
  } catch (e) {
    if (e instanceof CmsError) throw e;
    throw new CmsError(`the CMS blob is not a SignedData structure (${e instanceof Error ? e.message : String(e)})`);
  }
  const certs = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate).slice(0, MAX_CHAIN);
  const signer = signed.signerInfos[0];
  if (!signer) throw new CmsError('the CMS signature has no signer');

  // The chain from the signer up: each certificate's issuer is the next one's subject.
  const chain: SignatureCms['chain'] = [];
  const sid = signer.sid;
  let at =
    sid instanceof pkijs.IssuerAndSerialNumber
      ? certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber))
      : certs[0];
  const seen = new Set<pkijs.Certificate>();
  while (at && !seen.has(at)) {
    seen.add(at);
    chain.push({ subject: nameText(at.subject), issuer: nameText(at.issuer), notAfter: at.notAfter.value.toISOString() });
    const issuer = at.issuer;
    at = at.subject.isEqual(issuer) ? undefined : certs.find((c) => c.subject.isEqual(issuer));
  }
  if (!chain.length) problems.push('The CMS signature does not carry the certificate of its signer.');

  const attrs = signer.signedAttrs?.attributes;
  const time = attribute(attrs, OID_SIGNING_TIME)?.[0] as { toDate?: () => Date } | undefined;
  const signingTime = time?.toDate ? time.toDate().toISOString() : null;

  // The secure timestamp: a TSTInfo inside the token's own SignedData.
  let timestamp: string | null = null;
  const token = attribute(signer.unsignedAttrs?.attributes, OID_TIMESTAMP_TOKEN)?.[0];
  if (token) {
    try {
      const info = new pkijs.ContentInfo({ schema: token });
      const sd = new pkijs.SignedData({ schema: info.content });
      const content = sd.encapContentInfo.eContent;
      if (content) {
        const tst = new pkijs.TSTInfo({ schema: asn1js.fromBER(content.getValue()).result });
        timestamp = tst.genTime.toISOString();
      }
    } catch (e) {
      problems.push(`The timestamp token could not be read (${e instanceof Error ? e.message : String(e)}).`);
    }
  }

  // What it signs: the messageDigest over the slot-0 CodeDirectory, and Apple's CDHash lists.
  let checked = 0;
  let match = true;
  const digestAlg = DIGESTS[signer.digestAlgorithm.algorithmId];
  const md = attribute(attrs, OID_MESSAGE_DIGEST)?.[0] as asn1js.OctetString | undefined;
  const primary = directories.find((d) => d.slot === 0) ?? directories[0];
  if (md && primary && digestAlg) {
    const [h] = await digest(digestAlg, [primary.bytes]);
    checked++;
    if (!equal(bytesOf(md.valueBlock.valueHexView), h!)) {
      match = false;
      failures.push('The CMS messageDigest is not the hash of the CodeDirectory: the CodeDirectory was changed after signing.');
    }
  }
  const plist = attribute(attrs, OID_CDHASHES_PLIST)?.[0] as asn1js.OctetString | undefined;
  if (plist) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(plist.valueBlock.valueHexView.subarray(0, 1 << 16));
    const listed = [...text.matchAll(/<data>([^<]{0,200})<\/data>/g)].slice(0, 16).map((m) => base64(m[1]!));
    const ours = directories.map((d) => d.hash.subarray(0, 20));
    checked++;
    if (listed.length !== ours.length || !listed.every((l, i) => l && equal(l, ours[i]!))) {
      match = false;
      failures.push(
        `The CDHashes the CMS signs (${listed.length}) are not those of the ${ours.length} CodeDirector${ours.length === 1 ? 'y' : 'ies'}.`,
      );
    }
  }
  const v2 = attribute(attrs, OID_CDHASHES2);
  if (v2) {
    for (const entry of v2.slice(0, 16)) {
      const seq = entry as asn1js.Sequence;
      const [oid, value] = (seq.valueBlock?.value ?? []) as [asn1js.ObjectIdentifier?, asn1js.OctetString?];
      const alg = oid ? DIGESTS[oid.valueBlock.toString()] : undefined;
      if (!alg || !value) continue;
      const d = directories.find((x) => x.alg === alg);
      checked++;
      if (!d || !equal(bytesOf(value.valueBlock.valueHexView), d.hash.subarray(0, value.valueBlock.valueHexView.length))) {
        match = false;
        failures.push(`The ${alg} CDHash the CMS signs (CDHashes2) is not that of the CodeDirectory.`);
      }
    }
  }
  // The signer's signature over its signed attributes, with the public key of its certificate (WebCrypto through
  // PKI.js). Only that: whether the certificate chains to Apple's root and is not revoked is not checked here.
  if (primary && chain.length) {
    try {
      const r = await signed.verify({ signer: 0, data: primary.bytes.slice().buffer, checkChain: false, extendedMode: true });
      if (!r.signatureVerified)
        failures.push("The CMS signature does not verify with its signing certificate's key: the signature was altered.");
    } catch (e) {
      const r = e as { signatureVerified?: boolean | null; message?: string };
      if (r.signatureVerified === false)
        failures.push("The CMS signature does not verify with its signing certificate's key: the signature was altered.");
      else if (!failures.length) problems.push(`The CMS signature's cryptography was not checked (${r.message ?? String(e)}).`);
    }
  }
  return { chain, signingTime, timestamp, cdHashesMatch: checked ? match : null, problems, failures };
}
