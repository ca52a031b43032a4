/**
 * The didactic demos of why the Wasserstein distance helps, each a main with a test of its claim:
 * {@link org.wgan.examples.demos.ParallelLines} (start here: JS against W on disjoint supports),
 * {@link org.wgan.examples.demos.TwoGaussians} (a saturated discriminator against a critic),
 * {@link org.wgan.examples.demos.DirtPiles} (the earth mover's distance as moved dirt) and
 * {@link org.wgan.examples.demos.ClippingStudy} (what the clip value does to a deep critic's gradients). They train
 * critics against fixed generators with {@link org.wgan.examples.demos.CriticFitting} and
 * {@link org.wgan.examples.demos.OffsetGenerator}.
 */
package org.wgan.examples.demos;
