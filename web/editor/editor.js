// The task page's code editor: CodeMirror 6 with Python highlighting, over the form's textarea.
//
// Progressive enhancement: without JavaScript the textarea is the editor. With it, each
// `textarea[data-editor="python"]` is hidden behind an editor that writes its text back into
// the textarea, so the form posts the same field either way. Tab indents; Esc then Tab (or
// Ctrl-M, then Tab) moves the focus on, as CodeMirror documents, so the keyboard never gets trapped.
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { syntaxHighlighting } from "@codemirror/language";
import { Compartment } from "@codemirror/state";
import { oneDarkHighlightStyle } from "@codemirror/theme-one-dark";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";

// The site's colours (its stylesheet's variables, light or dark with the system), and in dark
// mode One Dark's token colours instead of the default ones, which are made for light pages.
const darkScheme = window.matchMedia("(prefers-color-scheme: dark)");

function scheme(dark) {
  const theme = EditorView.theme(
    {
      "&": { color: "var(--text)", backgroundColor: "var(--field-bg)" },
      ".cm-content": { caretColor: "var(--text)" },
      ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--text)" },
      ".cm-gutters": {
        color: "var(--muted)",
        backgroundColor: "var(--chip)",
        borderRight: "1px solid var(--border)",
      },
      ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "var(--accent-soft)" },
    },
    { dark },
  );
  return dark ? [theme, syntaxHighlighting(oneDarkHighlightStyle)] : [theme];
}

// CodeMirror writes its styles into a <style> element, which the site's Content-Security-Policy
// (style-src 'self') does not apply; the same rules are adopted as a constructed stylesheet,
// which the policy allows, and kept in step with the element.
function adoptEditorStyles() {
  const adopted = new CSSStyleSheet();
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, adopted];
  const copy = () => {
    const tags = document.head.querySelectorAll("style");
    adopted.replaceSync(Array.from(tags, (tag) => tag.textContent).join("\n"));
  };
  new MutationObserver(copy).observe(document.head, {
    childList: true,
    subtree: true,
    characterData: true,
  });
  return copy;
}

function enhance(textarea) {
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  const attributes = { spellcheck: "false", autocapitalize: "off", autocorrect: "off" };
  if (label && label.id) attributes["aria-labelledby"] = label.id;
  const described = textarea.getAttribute("aria-describedby");
  if (described) attributes["aria-describedby"] = described;
  const colours = new Compartment();
  const view = new EditorView({
    doc: textarea.value,
    extensions: [
      basicSetup,
      colours.of(scheme(darkScheme.matches)),
      keymap.of([indentWithTab]),
      python(),
      EditorView.contentAttributes.of(attributes),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) textarea.value = update.state.doc.toString();
      }),
    ],
  });
  darkScheme.addEventListener("change", (event) => {
    view.dispatch({ effects: colours.reconfigure(scheme(event.matches)) });
  });
  textarea.before(view.dom);
  textarea.hidden = true;
  if (label) {
    label.addEventListener("click", (event) => {
      event.preventDefault();
      view.focus();
    });
  }
  if (textarea.form) {
    textarea.form.addEventListener("submit", () => {
      textarea.value = view.state.doc.toString();
    });
  }
}

const editors = document.querySelectorAll('textarea[data-editor="python"]');
if (editors.length) {
  const copyStyles = adoptEditorStyles();
  editors.forEach(enhance);
  copyStyles();
}
