/** The device registry: devices known to the core and their presence. */
@NullMarked
package io.asyncrpc.api.device;

import org.jspecify.annotations.NullMarked;
