// The task page's code editor: CodeMirror 6 with Python highlighting, over the form's textarea.
//
// Progressive enhancement: without JavaScript the textarea is the editor. With it, each
// `textarea[data-editor="python"]` is hidden behind an editor that writes its text back into
// the textarea, so the form posts the same field either way. Tab indents; Esc then Tab (or
// Ctrl-M, then Tab) moves the focus on, as CodeMirror documents, so the keyboard never gets trapped.
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";

function enhance(textarea) {
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  const attributes = { spellcheck: "false", autocapitalize: "off", autocorrect: "off" };
  if (label && label.id) attributes["aria-labelledby"] = label.id;
  const described = textarea.getAttribute("aria-describedby");
  if (described) attributes["aria-describedby"] = described;
  const view = new EditorView({
    doc: textarea.value,
    extensions: [
      basicSetup,
      keymap.of([indentWithTab]),
      python(),
      EditorView.contentAttributes.of(attributes),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) textarea.value = update.state.doc.toString();
      }),
    ],
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

document.querySelectorAll('textarea[data-editor="python"]').forEach(enhance);
