/** The task state machine and the northbound event records shared by the services. */
package io.asyncrpc.task.model;
