"""Test stand-in for actions/upload-artifact@v4 (see ../README.md): zips the path and uploads it to
act's artifact server through the artifact v4 protocol the real action's client speaks (Twirp JSON
CreateArtifact, blob PUTs to the signed URL, FinalizeArtifact with size and SHA-256).
Inputs arrive as STANDIN_*; ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN come from act."""
import base64
import hashlib
import io
import json
import os
import sys
import urllib.request
import zipfile

SERVICE = 'twirp/github.actions.results.api.v1.ArtifactService/'


def fail(message):
    print(f'::error::upload-artifact stand-in: {message}')
    sys.exit(1)


def backend_ids(token):
    # The runtime token is a JWT whose scp claim names the run and job: Actions.Results:<run>:<job>.
    payload = token.split('.')[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4)))
    for scope in claims.get('scp', '').split(' '):
        parts = scope.split(':')
        if len(parts) == 3 and parts[0] == 'Actions.Results':
            return parts[1], parts[2]
    fail('the runtime token has no Actions.Results scope')


def twirp(base, token, method, body):
    request = urllib.request.Request(
        base + SERVICE + method,
        data=json.dumps(body).encode(),
        method='POST',
        headers={'Authorization': f'Bearer {token}', 'Content-Type': 'application/json'},
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b'{}')


def put(url, data):
    request = urllib.request.Request(url, data=data, method='PUT')
    with urllib.request.urlopen(request) as response:
        response.read()


def zip_path(root):
    buffer = io.BytesIO()
    count = 0
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
        if os.path.isfile(root):
            archive.write(root, os.path.basename(root))
            return buffer.getvalue(), 1
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                full = os.path.join(folder, name)
                archive.write(full, os.path.relpath(full, root))
                count += 1
    return buffer.getvalue(), count


def main():
    name, root = os.environ['STANDIN_NAME'], os.environ['STANDIN_PATH']
    base, token = os.environ['ACTIONS_RESULTS_URL'], os.environ['ACTIONS_RUNTIME_TOKEN']
    if not base.endswith('/'):
        base += '/'
    if not os.path.exists(root):
        print(f'::warning::upload-artifact stand-in: no files at {root}')
        sys.exit(1 if os.environ.get('STANDIN_IF_NONE') == 'error' else 0)
    data, count = zip_path(root)
    if count == 0 and os.environ.get('STANDIN_IF_NONE') == 'error':
        fail(f'no files at {root}')
    run, job = backend_ids(token)
    ids = {'workflowRunBackendId': run, 'workflowJobRunBackendId': job, 'name': name}
    created = twirp(base, token, 'CreateArtifact', {**ids, 'version': 4})
    if not created.get('ok') or not created.get('signedUploadUrl'):
        fail(f'CreateArtifact refused: {created}')
    url = created['signedUploadUrl']
    put(url + '&comp=block', data)
    put(url + '&comp=blocklist', b'<?xml version="1.0" encoding="utf-8"?><BlockList></BlockList>')
    digest = 'sha256:' + hashlib.sha256(data).hexdigest()
    final = twirp(base, token, 'FinalizeArtifact', {**ids, 'size': str(len(data)), 'hash': digest})
    if not final.get('ok'):
        fail(f'FinalizeArtifact refused: {final}')
    print(f"upload-artifact stand-in: uploaded {name} ({count} files, {len(data)} bytes, id {final.get('artifactId')})")


main()
