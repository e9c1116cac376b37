// The interrupt overlay: the roast and the score on top of everything, read aloud. With an audioUrl the MP3 plays (a
// "Play the roast" button appears when the browser blocks autoplay); without one the browser's own speechSynthesis
// reads the roast. Muted means neither. Escape or the Dismiss button closes it and returns focus where it was.
import { formatScore, formatTime, toMillis } from "./format.js";

const MUTE_KEY = "riskconsole.muted";

export class MuteSetting {
  constructor(storage = safeStorage()) {
    this.storage = storage;
    this.listeners = [];
  }

  get muted() {
    return this.storage?.getItem(MUTE_KEY) === "1";
  }

  set muted(value) {
    if (value) this.storage?.setItem(MUTE_KEY, "1");
    else this.storage?.removeItem(MUTE_KEY);
    for (const listener of this.listeners) listener(!!value);
  }

  onChange(listener) {
    this.listeners.push(listener);
  }
}

function safeStorage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: the setting lasts for this page only
  }
}

export class InterruptOverlay {
  constructor(document, mute) {
    this.mute = mute;
    this.root = document.getElementById("interrupt");
    this.dialog = document.getElementById("interrupt-dialog");
    this.title = document.getElementById("interrupt-title");
    this.meta = document.getElementById("interrupt-meta");
    this.roast = document.getElementById("interrupt-roast");
    this.forced = document.getElementById("interrupt-forced");
    this.audio = document.getElementById("interrupt-audio");
    this.play = document.getElementById("interrupt-play");
    this.note = document.getElementById("interrupt-voice-note");
    this.dismissButton = document.getElementById("interrupt-dismiss");
    this.returnFocus = null;
    this.current = null;

    this.dismissButton.addEventListener("click", () => this.dismiss());
    this.play.addEventListener("click", () => this.playAudio(true));
    this.root.addEventListener("click", event => {
      if (event.target === this.root) this.dismiss();
    });
    document.addEventListener("keydown", event => {
      if (this.root.hidden) return;
      if (event.key === "Escape") {
        event.preventDefault();
        this.dismiss();
      } else if (event.key === "Tab") {
        this.keepFocusInside(event);
      }
    });
    this.audio.addEventListener("playing", () => this.setVoice("audio-playing", "Playing the roast."));
    this.audio.addEventListener("ended", () => this.setVoice("audio-ended", "Finished playing."));
    mute.onChange(muted => {
      if (muted) this.silence("Muted: unmute to hear interrupts.");
    });
  }

  get isOpen() {
    return !this.root.hidden;
  }

  show(notice) {
    this.silence("");
    this.current = notice;
    const at = toMillis(notice.at);
    this.title.textContent = `Risk ${formatScore(notice.riskScore)}/100`;
    this.meta.textContent = `${notice.forced ? "Forced by a tester" : "The score crossed the threshold"} at ${formatTime(at)}`;
    this.forced.hidden = !notice.forced;
    this.roast.textContent = notice.roast ?? "";
    if (!this.isOpen) {
      const active = document.activeElement;
      this.returnFocus = active instanceof HTMLElement && active !== document.body ? active : null;
    }
    this.root.hidden = false;
    this.dialog.focus();

    if (this.mute.muted) {
      this.setVoice("muted", "Muted: unmute to hear interrupts.");
    } else if (notice.audioUrl) {
      this.audio.src = notice.audioUrl;
      this.playAudio(false);
    } else {
      this.speak(notice.roast);
    }
  }

  playAudio(fromButton) {
    this.play.hidden = true;
    this.setVoice("audio-starting", "Starting the roast…");
    let started;
    try {
      started = this.audio.play();
    } catch (error) {
      started = Promise.reject(error);
    }
    Promise.resolve(started).catch(error => {
      if (error && error.name === "NotAllowedError") {
        // Autoplay blocked until the user interacts with the page: one click plays it.
        this.play.hidden = false;
        this.setVoice("audio-blocked", "Your browser blocked autoplay.");
        if (!fromButton) this.play.focus();
      } else if (error && error.name === "AbortError") {
        // Replaced by a newer interrupt or dismissed: nothing to report.
      } else {
        this.setVoice("audio-failed", "The audio could not be played; reading the roast aloud instead.");
        this.speak(this.current?.roast, true);
      }
    });
  }

  speak(text, afterAudio = false) {
    if (!text) {
      this.setVoice("none", "");
      return;
    }
    if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance !== "function") {
      this.setVoice("none", afterAudio ? "The audio failed and this browser cannot read text aloud." : "No voice: this browser cannot read text aloud.");
      return;
    }
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
    this.setVoice("speech", afterAudio ? "The audio failed; your browser is reading the roast." : "Read aloud by your browser (no recorded voice configured).");
  }

  silence(note) {
    this.audio.pause();
    if ("speechSynthesis" in window) window.speechSynthesis.cancel();
    this.play.hidden = true;
    if (this.isOpen && note) this.setVoice("muted", note);
  }

  setVoice(state, note) {
    this.root.dataset.voice = state;
    this.note.textContent = note;
  }

  dismiss() {
    if (!this.isOpen) return;
    this.silence("");
    this.audio.removeAttribute("src");
    this.audio.load();
    this.root.hidden = true;
    delete this.root.dataset.voice;
    const target = this.returnFocus && document.contains(this.returnFocus) ? this.returnFocus : document.getElementById("main");
    target?.focus();
  }

  keepFocusInside(event) {
    const focusable = [...this.dialog.querySelectorAll("button:not([hidden]), [href], audio[controls]")].filter(e => !e.disabled);
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && (document.activeElement === first || document.activeElement === this.dialog)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }
}
