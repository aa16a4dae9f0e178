// Hot reload: watch the folders of every file the bundle read (editors often replace a file by
// renaming over it, which a watch on the file itself would miss), debounced.
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface FileWatch {
  close(): void;
}

export function watchFiles(files: string[], onChange: (file: string) => void, debounceMs = 80): FileWatch {
  const wanted = new Set(files.map((f) => path.resolve(f)));
  const dirs = new Set([...wanted].map((f) => path.dirname(f)));
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let lastFile = '';
  for (const dir of dirs) {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        const file = name ? path.join(dir, name.toString()) : '';
        if (file && !wanted.has(file)) return;
        lastFile = file;
        clearTimeout(timer);
        timer = setTimeout(() => onChange(lastFile), debounceMs);
      });
      w.on('error', () => {});
      watchers.push(w);
    } catch {
      // A folder that vanished: the next successful load watches what exists then.
    }
  }
  return {
    close() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
