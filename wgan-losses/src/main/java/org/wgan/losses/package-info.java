/**
 * GAN objectives implementing {@link org.wgan.core.objective.Objective}: start with
 * {@link org.wgan.losses.Objectives}. Every objective computes its losses in double precision with
 * numerically stable forms, and returns gradients with respect to the critic's outputs.
 */
package org.wgan.losses;
