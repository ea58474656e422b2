// Uploading files into a folder of the bucket, one at a time, with a progress bar.
import { bytes } from '../format.js';
import { act, field, h } from '../ui.js';

/** "a/b", "/a/b/" → "a/b/"; empty stays empty (the bucket's top). */
const asFolder = (text) => {
  const trimmed = text.trim().replace(/^\/+|\/+$/g, '');
  return trimmed ? `${trimmed}/` : '';
};

/** The upload form; uploaded(folder) shows the folder the files went to. Its folder field follows the listing (setFolder). */
export function uploadForm(bucket, report, uploaded) {
  const folder = h('input', { name: 'folder', autocomplete: 'off', spellcheck: 'false' });
  const files = h('input', { type: 'file', name: 'files', multiple: true });
  const progress = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': 'Upload progress' });
  const submit = h('button', { type: 'submit' }, 'Upload');
  const form = h('form', { class: 'inline-form', 'aria-labelledby': 'upload-heading' },
    h('h2', { id: 'upload-heading' }, 'Upload'),
    field('Folder', folder, 'Where the files go, e.g. avatars/2026; empty for the top of the bucket. A new name makes a new folder.'),
    field('Files', files, 'Each keeps its own name; an object of the same name is replaced.'),
    submit, progress);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = [...files.files];
    if (chosen.length === 0) {
      report.error(new Error('Choose one or more files first.'));
      files.focus();
      return;
    }
    const prefix = asFolder(folder.value);
    act(submit, report, 'Uploading…', async () => {
      progress.hidden = false;
      try {
        for (const [i, file] of chosen.entries()) {
          await bucket.upload(prefix + file.name, file, (sent, total) => {
            progress.max = total || 1;
            progress.value = sent;
            report.progress(`Uploading ${file.name} (${i + 1} of ${chosen.length}): ${bytes(sent)} of ${bytes(total)}`);
          });
        }
      } finally {
        progress.hidden = true;
      }
      files.value = '';
      await uploaded(prefix);
      return `Uploaded ${chosen.map((f) => f.name).join(', ')}${prefix ? ` to ${prefix}` : ''}.`;
    });
  });
  return { form, setFolder: (prefix) => { folder.value = prefix; } };
}
