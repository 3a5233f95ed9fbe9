import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drawColorIcon, drawOutlineIcon } from './app-package/icons';
import { encodePng } from './app-package/png';
import { APP_PACKAGE_DIR } from './app-package/paths';

// Redraws appPackage/color.png and appPackage/outline.png. The PNGs are committed; run this only after changing
// the glyph in app-package/icons.ts (`npm run build && node dist/src/tools/draw-icons.js`).

function main(): void {
  const targets = [
    ['color.png', drawColorIcon()],
    ['outline.png', drawOutlineIcon()],
  ] as const;
  for (const [name, image] of targets) {
    const path = join(APP_PACKAGE_DIR, name);
    writeFileSync(path, encodePng(image));
    process.stdout.write(`${path} ${image.width}x${image.height}\n`);
  }
}

main();
