import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** PEM files of a throwaway CA, a server certificate for 127.0.0.1 and a client certificate. */
export interface TestPki {
  dir: string
  caFile: string
  ca: string
  serverCert: string
  serverKey: string
  clientCertFile: string
  clientKeyFile: string
  /** The client certificate's subject CN, the user name the double gives it. */
  clientUser: string
}

const openssl = (cwd: string, ...args: string[]) =>
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })

/**
 * Creates a CA and two certificates signed by it with the `openssl` CLI (Node cannot issue X.509
 * certificates): the API server's (SAN IP:127.0.0.1, DNS:localhost) and a client's
 * (CN=`clientUser`, O=llmops), the way kubeadm issues both from the cluster CA.
 */
export function createTestPki(clientUser = 'ci-deployer'): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'k8s-pki-'))
  const key = (name: string) =>
    openssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name)
  key('ca.key')
  openssl(
    dir,
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-subj',
    '/CN=kubernetes-double-ca',
    '-days',
    '2',
    '-out',
    'ca.crt',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  )
  const issue = (name: string, subject: string, ext: string) => {
    key(`${name}.key`)
    openssl(dir, 'req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`)
    writeFileSync(path.join(dir, `${name}.ext`), ext)
    openssl(
      dir,
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    )
  }
  issue(
    'server',
    '/CN=kube-apiserver',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  )
  issue('client', `/O=llmops/CN=${clientUser}`, 'extendedKeyUsage=clientAuth\n')
  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8')
  return {
    dir,
    caFile: path.join(dir, 'ca.crt'),
    ca: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCertFile: path.join(dir, 'client.crt'),
    clientKeyFile: path.join(dir, 'client.key'),
    clientUser,
  }
}
