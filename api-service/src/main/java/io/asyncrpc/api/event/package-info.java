/**
 * What a tenant's apps are told, read from the tenant event log: finished tasks, progress, device
 * events and presence, in one order that resumes without gap or duplicate.
 */
package io.asyncrpc.api.event;
