/**
 * Implementation details shared by the public packages. Not API: anything here may change without notice.
 */
package org.wgan.dl4j.engine;
