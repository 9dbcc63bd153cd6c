// Verifier stand-ins for APIs on each account's own subdomain ({partner} in the host): Shopify
// stores, Grafana Cloud stacks, Databricks workspaces. The partner is the subdomain found next to
// the key; every refusal stays unknown, since the key may belong to another account's host.
// Salesforce's access tokens go to its documented fixed UserInfo address instead.
import { bearer, header, json, type FakeApi } from './fake-api.js';

export const HOSTV_APIS: FakeApi[] = [
  {
    // https://shopify.dev/docs/api/admin-rest/latest/resources/shop (Retrieves the shop's configuration;
    // X-Shopify-Access-Token header). A bad token gets 401 with an "errors" string.
    rule: 'shopify-access-token', method: 'GET', path: '/admin/api/2025-10/shop.json', secretOf: header('x-shopify-access-token'), partner: 'acme-shop',
    live: json(200, { shop: { id: 548380009, name: 'Fake Socks', email: 'owner@fake.test', domain: 'shop.fake.test', myshopify_domain: 'acme-shop.myshopify.com' } }),
    revoked: json(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' }),
    refusedAs: 'unknown',
    identity: 'shop Fake Socks, domain acme-shop.myshopify.com',
  },
  {
    // https://grafana.com/docs/grafana-cloud/developer-resources/api-reference/http-api/api-legacy/org/
    // (Get current Organization, GET /api/org/, Authorization: Bearer <service account token>)
    rule: 'grafana-service-account-token', method: 'GET', path: '/api/org/', secretOf: bearer, partner: 'acme',
    live: json(200, { id: 1, name: 'Fake Ops' }),
    revoked: json(401, { message: 'invalid API key' }),
    refusedAs: 'unknown',
    identity: 'org Fake Ops',
  },
  {
    // https://docs.databricks.com/dev-tools/api/latest/scim/scim-me.html (Get me: the caller's own
    // workspace identity; Authorization: Bearer <token>, Accept: application/scim+json)
    rule: 'databricks-personal-access-token', method: 'GET', path: '/api/2.0/preview/scim/v2/Me',
    secretOf: (r) => (r.headers.accept === 'application/scim+json' ? bearer(r) : undefined), partner: 'dbc-a1b2345c-d6e7',
    live: json(200, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: '100000', userName: 'analyst@fake.test', displayName: 'Fake Analyst', active: true }),
    revoked: json(401, { error_code: 401, message: 'Credential was not sent or was of an unsupported type for this API.' }),
    refusedAs: 'unknown',
    identity: 'user analyst@fake.test',
  },
  {
    // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_userinfo_endpoint.htm
    // (UserInfo endpoint, access token as Bearer; OpenID Connect claims plus the org ID). The refusal
    // below is a stand-in only: Salesforce documents none, so the verifier leaves it unknown.
    rule: 'salesforce-access-token', method: 'GET', path: '/services/oauth2/userinfo', secretOf: bearer,
    live: json(200, { sub: 'https://login.salesforce.com/id/00Dx0000000BV7z/005x00000012Q9P', user_id: '005x00000012Q9P', organization_id: '00Dx0000000BV7z', preferred_username: 'ops@fake.test', name: 'Fake Ops', user_type: 'STANDARD' }),
    revoked: json(403, { error: 'invalid_token' }),
    refusedAs: 'unknown',
    identity: 'user ops@fake.test, org 00Dx0000000BV7z',
  },
  {
    // https://learn.microsoft.com/en-us/rest/api/azureopenai/models/list (Models - List; api-key header)
    rule: 'azure-openai-api-key', method: 'GET', path: '/openai/models', secretOf: header('api-key'), partner: 'acme-chat',
    live: json(200, { data: [{ id: 'gpt-4o-2024-08-06', status: 'succeeded', object: 'model', lifecycle_status: 'generally-available' }], object: 'list' }),
    revoked: json(401, { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } }),
    refusedAs: 'unknown',
  },
  // https://learn.microsoft.com/en-us/rest/api/searchservice/list-indexes (List Indexes; admin key in api-key)
  ...['azure-search-key', 'azure-search-identifiable-key'].map((rule): FakeApi => ({
    rule, method: 'GET', path: '/indexes', secretOf: header('api-key'), partner: 'contoso-u29n9m',
    live: json(200, { value: [{ name: 'books' }, { name: 'games' }] }),
    revoked: json(403, { error: { code: '', message: 'Authorization failed.' } }),
    refusedAs: 'unknown',
  })),
];
