import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../../sandbox/start.js';

describe('startSandbox includes the QAD tenant', () => {
  it('describes the qad part with base URL, client id, user, password, workspace, profile, QXtend and control URLs', async () => {
    const sandbox = await startSandbox({ port: 0 });
    try {
      const qad = sandbox.description.qad!;
      expect(qad).toMatchObject({
        baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/clouderp$/),
        clientId: expect.any(String),
        username: expect.any(String),
        password: expect.any(String),
        workspace: { domain: '10USA', entity: '10USACO', sharedSet: 'US-SET' },
        profile: 'adaptive-rest',
        qxtendUrl: expect.stringMatching(/\/qxi\/services\/QdocWebService$/),
        controlUrl: expect.stringMatching(/\/__sandbox$/),
      });
      const docs = await fetch(`${qad.baseUrl}/api-docs`);
      expect(docs.status).toBe(200);
      expect(sandbox.qad.clock).toBe(sandbox.clock);
    } finally {
      await sandbox.close();
    }
  });
});
