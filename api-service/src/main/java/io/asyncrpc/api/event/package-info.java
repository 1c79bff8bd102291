/**
 * What a tenant's apps are told, read from the tenant event log: finished tasks, progress, device
 * events and presence, in one order that resumes without gap or duplicate.
 */
@NullMarked
package io.asyncrpc.api.event;

import org.jspecify.annotations.NullMarked;
