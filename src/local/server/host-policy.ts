import { hostname, networkInterfaces } from 'node:os';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms, or `localhost`. */
export function isLoopbackAddress(address: string): boolean {
  const name = bare(address);
  return name === 'localhost' || name === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

export function isWildcardAddress(address: string): boolean {
  const name = bare(address);
  return name === '0.0.0.0' || name === '::' || name === '::ffff:0.0.0.0';
}

/** Lower case, without the brackets of an IPv6 literal or a DNS name's trailing dot. */
function bare(name: string): string {
  return name.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** `name[:port]` of a Host header or an origin's authority; undefined when it is neither. */
function splitAuthority(value: string): { name: string; port: number } | undefined {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]/@\s]+))(?::(\d{1,5}))?$/.exec(value.trim().toLowerCase());
  if (match === null) return undefined;
  return { name: bare(match[1] ?? match[2] ?? ''), port: match[3] === undefined ? 80 : Number(match[3]) };
}

/**
 * Which `Host` a request may name, and so which origin is the service's own.
 * A web page can make a browser send requests to the service under a DNS name
 * of its own that resolves to this machine (DNS rebinding); such a request
 * carries that name in `Host`. Only the names of the address the service
 * listens on are accepted: on loopback `localhost`, `127.0.0.1` and `[::1]`;
 * on every interface (`0.0.0.0`, `::`) those and the machine's interface
 * addresses and host name; otherwise the given address. `allowHosts` adds DNS
 * names clients use to reach it. The port must be the one it listens on.
 */
export class HostPolicy {
  private readonly names: ReadonlySet<string>;

  constructor(given: string, bound: string, readonly port: number, allowHosts: readonly string[] = []) {
    const names = new Set([bare(given), bare(bound), ...allowHosts.map(bare)]);
    if (isLoopbackAddress(bound) || isWildcardAddress(bound)) for (const name of LOOPBACK_NAMES) names.add(name);
    if (isWildcardAddress(bound)) {
      names.add(bare(hostname()));
      for (const addresses of Object.values(networkInterfaces())) for (const address of addresses ?? []) names.add(bare(address.address));
    }
    this.names = names;
  }

  /** The `Host` values accepted, e.g. `127.0.0.1:41234`, `[::1]:41234`. */
  get hosts(): readonly string[] {
    return [...this.names].map((name) => `${name.includes(':') ? `[${name}]` : name}:${this.port}`);
  }

  acceptsHost(host: string | undefined): boolean {
    if (host === undefined) return false;
    const authority = splitAuthority(host);
    return authority !== undefined && authority.port === this.port && this.names.has(authority.name);
  }

  /** An origin is the service's own when it is plain http on an accepted host. */
  acceptsOrigin(origin: string): boolean {
    const match = /^http:\/\/([^/]+)$/i.exec(origin.trim());
    return match?.[1] !== undefined && this.acceptsHost(match[1]);
  }
}
