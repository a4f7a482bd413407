// Files Steward shared (files.completeUploadExternal): an image is shown as Slack shows it, any
// other file as a card to download. The bytes come from the sandbox, not from Slack's url_private.
import { h } from './dom.js';

export function fileList(files) {
  return h('div', { class: 'files' }, files.map(fileElement));
}

function fileElement(file) {
  const href = `/sandbox/files/${encodeURIComponent(file.id)}`;
  if (file.mimetype.startsWith('image/')) {
    return h(
      'figure',
      { class: 'file-image' },
      h(
        'a',
        { href, target: '_blank', rel: 'noopener' },
        h('img', { src: href, alt: file.alt_txt ?? file.title }),
      ),
      h('figcaption', {}, file.title),
    );
  }
  return h(
    'a',
    { class: 'file-card', href, download: file.name },
    h('span', { class: 'file-type' }, file.filetype.toUpperCase()),
    h('span', { class: 'file-name' }, file.title),
    h('span', { class: 'file-size' }, `${formatSize(file.size)} · Download`),
  );
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
