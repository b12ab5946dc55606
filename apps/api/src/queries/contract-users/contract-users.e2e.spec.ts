import { startApiTestApp, type ApiTestApp } from '../../testing/api-test-app';
import { sendCommand } from '../../testing/command-calls';
import { givenContract, type TestContract } from '../../testing/contract-fixture';
import {
  MEMBERS_AND_STAFF,
  PERMISSION_HOLDERS_AND_STAFF,
  readEveryPage,
  statusByCaller,
} from '../../testing/query-calls';

type Answer = { id: string; position: string };

describe("a contract's invitations and contacts over HTTP, paged by the database", () => {
  let api: ApiTestApp;
  let contract: TestContract;

  beforeAll(async () => {
    api = await startApiTestApp({ env: { RUN_WORKER: 'true' } });
    contract = await givenContract(api, 'contacts');
  });
  afterAll(() => api.close());

  const asOwner = async (path: string, body: object) =>
    (
      await sendCommand(
        api,
        { method: 'post', path: `/contracts/${contract.contractId}${path}`, body },
        { token: contract.tokens.owner },
      ).expect(201)
    ).body as Answer;

  it('pages every invitation and every contact once, in a stable order, the last page without a cursor', async () => {
    const invited: Answer[] = [];
    const added: Answer[] = [];
    for (let n = 0; n < 7; n++) {
      invited.push(
        await asOwner('/invitations', { email: `convidado${n}@exemplo.com.br`, permissions: ['tickets'] }),
      );
      added.push(
        await asOwner('/contacts', {
          name: `Contato ${n}`,
          email: `contato${n}@exemplo.com.br`,
          categories: ['billing'],
        }),
      );
    }
    const minPosition = added.at(-1)!.position;
    const invitations = await readEveryPage<{ invitationId: string }>(
      api,
      `/contracts/${contract.contractId}/invitations`,
      { token: contract.tokens.owner, limit: 3, minPosition },
    );
    // The fixture's own two invitations (its members') are there too.
    expect(invitations.pages.map((page) => page.items.length)).toEqual([3, 3, 3]);
    const invitationIds = invitations.items.map((item) => item.invitationId);
    expect(invitationIds).toEqual([...invitationIds].sort());
    expect(invitationIds).toEqual(expect.arrayContaining(invited.map((invitation) => invitation.id)));

    const contacts = await readEveryPage<{ contactId: string }>(
      api,
      `/contracts/${contract.contractId}/contacts`,
      {
        token: contract.tokens.memberWithPermission,
        limit: 3,
        minPosition,
      },
    );
    expect(contacts.pages.map((page) => page.items.length)).toEqual([3, 3, 1]);
    expect(contacts.items.map((item) => item.contactId)).toEqual(added.map((contact) => contact.id).sort());
  });

  it('lets every member read the invitations, and only those with `contacts` the contacts', async () => {
    expect(await statusByCaller(api, contract, `/contracts/${contract.contractId}/invitations`)).toEqual(
      MEMBERS_AND_STAFF,
    );
    expect(await statusByCaller(api, contract, `/contracts/${contract.contractId}/contacts`)).toEqual(
      PERMISSION_HOLDERS_AND_STAFF,
    );
  });
});
