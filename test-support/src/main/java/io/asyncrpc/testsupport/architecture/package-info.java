/** Architecture rules (ArchUnit) that every module checks against its own classes. */
package io.asyncrpc.testsupport.architecture;
