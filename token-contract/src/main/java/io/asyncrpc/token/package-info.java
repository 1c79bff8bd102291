/** The contract of the control-center tokens: scopes, issuer and audience, key ids. */
@NullMarked
package io.asyncrpc.token;

import org.jspecify.annotations.NullMarked;
