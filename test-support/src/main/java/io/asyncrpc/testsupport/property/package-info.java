/**
 * Property-based tests with seeded generators, without a framework: a {@link
 * io.asyncrpc.testsupport.property.Gen} draws an input from a {@link java.util.SplittableRandom},
 * {@link io.asyncrpc.testsupport.property.Gens} and {@link io.asyncrpc.testsupport.property.Chars}
 * build generators that lean to edge values, and {@link io.asyncrpc.testsupport.property.Property}
 * checks a property over a number of tries with a printed seed that {@code -Dproperty.seed=N}
 * replays.
 */
@NullMarked
package io.asyncrpc.testsupport.property;

import org.jspecify.annotations.NullMarked;
