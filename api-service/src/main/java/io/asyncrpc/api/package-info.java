/** The northbound REST service: tasks, devices, the transactional outbox and problem+json. */
package io.asyncrpc.api;
