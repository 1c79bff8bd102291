/** Architecture rules (ArchUnit) that every module checks against its own classes. */
@NullMarked
package io.asyncrpc.testsupport.architecture;

import org.jspecify.annotations.NullMarked;
