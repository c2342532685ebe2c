// Types for electron-vite's `?asset` imports in main (a file path, copied into out/ at build).
/// <reference types="electron-vite/node" />
