// Sandboxed preload: bundled into one CommonJS file, and may import only `electron` at runtime
// (Node built-ins and ESM are unavailable in a sandboxed preload).
import { contextBridge } from 'electron'
import { BRIDGE_KEY, type PurchaseSenderApi } from './api'

const api: PurchaseSenderApi = Object.freeze({ version: __APP_VERSION__ })

contextBridge.exposeInMainWorld(BRIDGE_KEY, api)
