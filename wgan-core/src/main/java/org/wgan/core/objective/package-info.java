/**
 * The objective SPI: {@link org.wgan.core.objective.Objective} gives the critic loss and the generator loss with
 * their gradients with respect to the critic's outputs. The {@code wgan-losses} module implements it.
 */
package org.wgan.core.objective;
