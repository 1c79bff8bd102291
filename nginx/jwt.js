// RS256 JWT check of the edge, run by nginx's njs as the auth_request subrequest of every
// protected location (nginx.conf.template). Answers 204 with the verified claims in
// X-Client-Id / X-Tenant / X-Scopes, or 401/403 with the problem+json body and the
// WWW-Authenticate value in X-Jwt-Problem / X-Jwt-Challenge (nginx's error pages send them).
//
// Only RS256 is accepted, whatever the token says: `none`, HS256 (keyed with the public key, the
// algorithm confusion attack) and every other `alg` are refused before any key is used. The key is
// chosen by `kid` among the keys nginx.sh rendered into jwt_config.js (several during a rollover).
//
// njs 0.7.9 (Debian 12) has WebCrypto importKey('spki') + verify for RSASSA-PKCS1-v1_5 and
// Buffer base64url; it has no JWK import and no state shared between requests, so keys arrive as
// SPKI DER and are imported per request (measured in docs/security.md).
import config from 'jwt_config.js';

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const SCOPE = /^[A-Za-z0-9_.:-]{1,64}$/;
const REALM = 'iot-async-rpc';

function problem(r, status, slug, title, detail, challenge) {
    r.headersOut['X-Jwt-Problem'] = JSON.stringify({
        type: 'urn:iot-async-rpc:problem:' + slug, title: title, status: status, detail: detail});
    r.headersOut['X-Jwt-Challenge'] = challenge;
    // With a body, njs sends the headers above; a bare r.return(401) would become nginx's own
    // error page, which drops them. auth_request discards the body.
    r.return(status, slug);
}

function unauthorized(r, detail) {
    problem(r, 401, 'invalid-token', 'Invalid token', 'the bearer token is invalid: ' + detail,
        'Bearer realm="' + REALM + '", error="invalid_token", error_description="' + detail + '"');
}

function decodeJson(part) {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString());
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new Error('not a JSON object');
    }
    return value;
}

// The scopes a request needs at the edge, any one of them (empty: a valid token is enough). The
// same rules as api-service's SecurityConfiguration; ca-service checks its own routes.
function requiredScopes(route, method, path) {
    if (route === 'mcp') {
        // One endpoint for every tool: a token that can use none of them goes no further;
        // mcp-server checks each tool's own scope.
        return ['tasks:read', 'tasks:write', 'devices:admin'];
    }
    if (route !== 'api') {
        return [];
    }
    const read = method === 'GET' || method === 'HEAD';
    if (path === '/api/v1/tasks' || path.startsWith('/api/v1/tasks/')) {
        if (read) return ['tasks:read'];
        if (method === 'POST' || method === 'DELETE') return ['tasks:write'];
    }
    if (path === '/api/v1/devices' || path.startsWith('/api/v1/devices/')) {
        if (read) return ['tasks:read', 'devices:admin'];
        if (method === 'POST' || method === 'PATCH') return ['devices:admin'];
    }
    if (path === '/api/v1/jobs' || path.startsWith('/api/v1/jobs/')) {
        if (read) return ['tasks:read'];
        if (method === 'POST') return ['tasks:write'];
    }
    if (path === '/api/v1/events' && read) {
        return ['tasks:read'];
    }
    if (path === '/api/v1/webhooks' || path.startsWith('/api/v1/webhooks/')) {
        return ['webhooks:admin'];
    }
    return [];
}

async function verify(r) {
    const authorization = r.headersIn['Authorization'] || '';
    const match = /^Bearer +([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/i.exec(authorization);
    if (!authorization) {
        problem(r, 401, 'unauthorized', 'Unauthorized',
            'a bearer token is required: get one from POST /oauth/token',
            'Bearer realm="' + REALM + '"');
        return;
    }
    if (!match) {
        unauthorized(r, 'not a compact JWS in an Authorization: Bearer header');
        return;
    }
    let header;
    let claims;
    try {
        header = decodeJson(match[1]);
        claims = decodeJson(match[2]);
    } catch (e) {
        unauthorized(r, 'header or payload is not base64url JSON');
        return;
    }
    if (header.alg !== 'RS256') {
        unauthorized(r, 'alg must be RS256');
        return;
    }
    if (header.crit !== undefined) {
        unauthorized(r, 'crit is not supported');
        return;
    }
    const der = typeof header.kid === 'string' && Object.prototype.hasOwnProperty.call(config.keys, header.kid)
        ? config.keys[header.kid] : null;
    if (!der) {
        unauthorized(r, 'unknown kid');
        return;
    }
    let valid = false;
    try {
        const key = await crypto.subtle.importKey('spki', Buffer.from(der, 'base64'),
            {name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256'}, false, ['verify']);
        valid = await crypto.subtle.verify({name: 'RSASSA-PKCS1-v1_5'}, key,
            Buffer.from(match[3], 'base64url'), Buffer.from(match[1] + '.' + match[2]));
    } catch (e) {
        r.error('jwt: signature check failed: ' + e);
        valid = false;
    }
    if (!valid) {
        unauthorized(r, 'bad signature');
        return;
    }
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== 'number' || now >= claims.exp + config.leeway) {
        unauthorized(r, 'expired');
        return;
    }
    if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || now + config.leeway < claims.nbf)) {
        unauthorized(r, 'not valid yet');
        return;
    }
    if (claims.iss !== config.issuer) {
        unauthorized(r, 'wrong issuer');
        return;
    }
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (aud.indexOf(config.audience) < 0) {
        unauthorized(r, 'wrong audience');
        return;
    }
    if (typeof claims.sub !== 'string' || !NAME.test(claims.sub)
        || typeof claims.tenant !== 'string' || !NAME.test(claims.tenant)) {
        unauthorized(r, 'sub or tenant missing or malformed');
        return;
    }
    const scopes = (typeof claims.scope === 'string' ? claims.scope : '')
        .split(' ').filter(s => SCOPE.test(s));
    const needed = requiredScopes(r.variables.jwt_route, r.variables.request_method,
        r.variables.jwt_path || '');
    if (needed.length > 0 && !needed.some(s => scopes.indexOf(s) >= 0)) {
        problem(r, 403, 'insufficient-scope', 'Insufficient scope',
            'this request needs the scope ' + needed.join(' or '),
            'Bearer realm="' + REALM + '", error="insufficient_scope", scope="' + needed.join(' ') + '"');
        return;
    }
    r.headersOut['X-Client-Id'] = claims.sub;
    r.headersOut['X-Tenant'] = claims.tenant;
    r.headersOut['X-Scopes'] = scopes.join(' ');
    r.return(204);
}

export default {verify};
