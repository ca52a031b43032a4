/**
 * A live dashboard of one training run: {@link org.wgan.ui.RunDashboard} serves a page (the latest sample grids and
 * their history, charts of the losses, the run's settings, the critic's value surface of 2-column data) from the JDK's
 * HTTP server, fed by its {@link org.wgan.core.listener.TrainerListener} and by the run folder's files. Start with
 * {@code RunDashboard.builder(runFolder).build()}; {@link org.wgan.ui.ValueSurface} writes the critic's surface in the
 * format the page draws.
 */
package org.wgan.ui;
