// Uploading files into the bucket's current folder, one at a time, with a progress bar.
import { bytes } from '../format.js';
import { act, field, h } from '../ui.js';

/** The upload form; prefix() names the current folder, uploaded() redraws the listing. */
export function uploadForm(bucket, prefix, report, uploaded) {
  const files = h('input', { type: 'file', name: 'files', multiple: true });
  const progress = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': 'Upload progress' });
  const submit = h('button', { type: 'submit' }, 'Upload');
  const form = h('form', { class: 'inline-form', 'aria-labelledby': 'upload-heading' },
    h('h2', { id: 'upload-heading' }, 'Upload'),
    field('Files', files, 'They go into the folder shown above, under their own names; an object of the same name is replaced.'),
    submit, progress);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = [...files.files];
    if (chosen.length === 0) {
      report.error(new Error('Choose one or more files first.'));
      files.focus();
      return;
    }
    act(submit, report, 'Uploading…', async () => {
      progress.hidden = false;
      try {
        for (const [i, file] of chosen.entries()) {
          const key = prefix() + file.name;
          await bucket.upload(key, file, (sent, total) => {
            progress.max = total || 1;
            progress.value = sent;
            report.progress(`Uploading ${file.name} (${i + 1} of ${chosen.length}): ${bytes(sent)} of ${bytes(total)}`);
          });
        }
      } finally {
        progress.hidden = true;
      }
      form.reset();
      await uploaded();
      return `Uploaded ${chosen.map((f) => f.name).join(', ')}.`;
    });
  });
  return form;
}
