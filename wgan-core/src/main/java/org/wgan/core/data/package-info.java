/**
 * Data: real-sample sources ({@link org.wgan.core.data.SampleSource}, DL4J iterators through
 * {@link org.wgan.core.data.SampleSources}), latent samplers ({@link org.wgan.core.data.LatentSamplers}), the
 * toy 2-D data sets of the WGAN-GP paper ({@link org.wgan.core.data.ToyDatasets}), and Fashion-MNIST
 * ({@link org.wgan.core.data.FashionMnist}, from Debian's {@code dataset-fashion-mnist} package; its IDX files are
 * read by {@link org.wgan.core.data.IdxFiles}).
 */
package org.wgan.core.data;
