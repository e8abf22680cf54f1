// One polite live region for the whole page (App.svelte renders it, always,
// so assistive technology is watching it before anything is said): what
// changed that a person who cannot see it should hear, such as the verdict
// of a report that just opened.

class Announcer {
  text = $state('');
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Says `message`; said again even when it is the same text as last time. */
  say(message: string): void {
    clearTimeout(this.timer);
    this.text = '';
    // Emptied first and filled a moment later, so a repeated message is a change too.
    this.timer = setTimeout(() => (this.text = message), 100);
  }
}

export const announcer = new Announcer();
