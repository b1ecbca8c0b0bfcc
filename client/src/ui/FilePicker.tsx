import { useId, useState, type InputHTMLAttributes } from 'react';
import { useI18n } from '../i18n';

/**
 * A file input in the interface's language: the browser's own button says "Choose File" in the
 * browser's language whatever the page's, so the real input is hidden (still focusable and
 * labelled) and a label styled as a button, with the chosen file's name, stands in its place.
 */
export function FilePicker({ onFile, onFiles, label, ...input }: Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'onChange'> & { onFile: (file: File | null) => void; onFiles?: (files: File[]) => void; label?: string }) {
  const { t } = useI18n();
  const id = useId();
  const [name, setName] = useState<string | null>(null);
  return (
    <span className="file-picker">
      <input
        {...input}
        id={id}
        type="file"
        aria-label={label ?? t('mobile.file.choose')}
        onChange={(event) => {
          const file = event.target.files?.[0] ?? null;
          const all = [...(event.target.files ?? [])];
          setName(all.length > 1 ? all.map((f) => f.name).join(', ') : (file?.name ?? null));
          onFile(file);
          onFiles?.(all);
          // Several pickings of the same file each upload it (the input would not fire for an unchanged value).
          if (onFiles) event.target.value = '';
        }}
      />
      <label htmlFor={id} className="button-quiet file-picker-button">
        {label ?? t('mobile.file.choose')}
      </label>
      <span className="file-picker-name" data-testid="file-picker-name">
        {name ?? t('mobile.file.none')}
      </span>
    </span>
  );
}
