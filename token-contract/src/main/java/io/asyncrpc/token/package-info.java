/** The contract of the control-center tokens: scopes, issuer and audience, key ids. */
package io.asyncrpc.token;
