// Sandboxed preload: bundled into one CommonJS file, and may import only `electron` at runtime
// (Node built-ins and ESM are unavailable in a sandboxed preload). The contract and zod are
// bundled in. Only the contract's API is exposed: never `ipcRenderer` itself.
import { contextBridge, ipcRenderer } from 'electron'
import { BRIDGE_KEY } from './api'
import { createBridgeApi } from './bridge'

contextBridge.exposeInMainWorld(BRIDGE_KEY, createBridgeApi(ipcRenderer))
