import { connect, createServer } from 'node:net'
import type { AddressInfo, Socket } from 'node:net'

/**
 * A TCP proxy in front of a real MySQL/MariaDB server that answers chosen statements with an
 * error packet instead of passing them on, and records every statement the client sends: what a
 * proxy or load balancer that rejects a statement looks like to the reader.
 *
 * It reads the client's side of the protocol packet by packet (3-byte length, sequence id,
 * payload; no TLS, no compression): a command is a packet with sequence id 0, and COM_QUERY (0x03)
 * carries the statement's text.
 */

export interface RefusedStatement {
  /** Which statements to refuse, by their text. */
  readonly pattern: RegExp
  readonly errno: number
  readonly sqlState: string
  readonly message: string
}

export interface StatementRecord {
  readonly connection: number
  readonly sql: string
  /** False when the proxy answered the error itself. */
  readonly forwarded: boolean
}

export interface MysqlStatementProxy {
  readonly host: string
  readonly port: number
  readonly statements: readonly StatementRecord[]
  /** Refuse statements matching `refused`, or pass everything on (null). */
  refuse(refused: RefusedStatement | null): void
  /** Cuts every open connection, as a restarted proxy would. */
  dropConnections(): void
  close(): Promise<void>
}

const COM_QUERY = 0x03

function errorPacket(sequenceId: number, refused: RefusedStatement): Buffer {
  const message = Buffer.from(refused.message, 'utf8')
  const payload = Buffer.alloc(1 + 2 + 1 + 5 + message.length)
  payload[0] = 0xff
  payload.writeUInt16LE(refused.errno, 1)
  payload.write('#', 3, 'ascii')
  payload.write(refused.sqlState.padEnd(5, '0').slice(0, 5), 4, 'ascii')
  message.copy(payload, 9)
  const header = Buffer.alloc(4)
  header.writeUIntLE(payload.length, 0, 3)
  header[3] = sequenceId
  return Buffer.concat([header, payload])
}

export async function startMysqlStatementProxy(target: {
  host: string
  port: number
}): Promise<MysqlStatementProxy> {
  const statements: StatementRecord[] = []
  const sockets = new Set<Socket>()
  let refused: RefusedStatement | null = null
  let connections = 0

  const server = createServer((client) => {
    const id = ++connections
    const upstream = connect(target.port, target.host)
    sockets.add(client)
    sockets.add(upstream)
    client.on('close', () => {
      sockets.delete(client)
      upstream.destroy()
    })
    upstream.on('close', () => {
      sockets.delete(upstream)
      client.destroy()
    })
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
    upstream.pipe(client)

    let pending = Buffer.alloc(0)
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk])
      while (pending.length >= 4) {
        const length = pending.readUIntLE(0, 3)
        if (pending.length < 4 + length) break
        const packet = pending.subarray(0, 4 + length)
        pending = pending.subarray(4 + length)
        const sequenceId = packet[3] ?? 0
        if (sequenceId === 0 && packet[4] === COM_QUERY) {
          const sql = packet.subarray(5).toString('utf8')
          const refuse = refused !== null && refused.pattern.test(sql)
          statements.push({ connection: id, sql, forwarded: !refuse })
          if (refuse && refused !== null) {
            client.write(errorPacket(sequenceId + 1, refused))
            continue
          }
        }
        upstream.write(packet)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    host: '127.0.0.1',
    port,
    statements,
    refuse(next) {
      refused = next
    },
    dropConnections() {
      for (const socket of sockets) socket.destroy()
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
