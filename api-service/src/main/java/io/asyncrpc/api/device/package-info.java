/** The device registry: devices known to the core and their presence. */
package io.asyncrpc.api.device;
