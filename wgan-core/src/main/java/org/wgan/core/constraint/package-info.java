/**
 * Lipschitz constraints on the critic: the SPI {@link org.wgan.core.constraint.LipschitzConstraint} (a penalty
 * term in the critic update and/or a projection after it), weight clipping, and the factories in
 * {@link org.wgan.core.constraint.LipschitzConstraints}.
 */
package org.wgan.core.constraint;
