/**
 * Data: real-sample sources ({@link org.wgan.core.data.SampleSource}, DL4J iterators through
 * {@link org.wgan.core.data.SampleSources}), latent samplers ({@link org.wgan.core.data.LatentSamplers}) and the
 * toy 2-D data sets of the WGAN-GP paper ({@link org.wgan.core.data.ToyDatasets}).
 */
package org.wgan.core.data;
