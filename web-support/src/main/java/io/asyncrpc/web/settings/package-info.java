/** The production-settings policy the services share: fail fast outside the local profile. */
@NullMarked
package io.asyncrpc.web.settings;

import org.jspecify.annotations.NullMarked;
