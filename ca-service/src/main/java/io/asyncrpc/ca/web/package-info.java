/** HTTP concerns shared by the features: RFC 9457 problems, JSON strictness, OpenAPI. */
package io.asyncrpc.ca.web;
