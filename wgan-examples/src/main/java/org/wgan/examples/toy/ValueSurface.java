package org.wgan.examples.toy;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.Critic;

/**
 * The WGAN-GP paper's Figure 1a: the critic's value surface over the data's range as shaded bands with
 * contour lines, real samples in orange and generated samples in green. Drawn with Java2D, written by ImageIO.
 */
final class ValueSurface {

    private static final int SIZE = 600;
    private static final int GRID = 120;
    private static final int LEVELS = 12;

    private ValueSurface() {
    }

    static void write(Path file, Critic critic, double range, double[][] real, double[][] generated)
            throws IOException {
        double[][] points = new double[GRID * GRID][];
        for (int i = 0; i < GRID; i++) {
            for (int j = 0; j < GRID; j++) {
                points[i * GRID + j] = new double[] {coordinate(j, range), coordinate(GRID - 1 - i, range)};
            }
        }
        INDArray scores = critic.score(Nd4j.create(points).castTo(critic.dataType()));
        double[] values = scores.toDoubleVector();
        double min = java.util.Arrays.stream(values).min().orElse(0);
        double max = java.util.Arrays.stream(values).max().orElse(1);
        double span = max > min ? max - min : 1;
        int[][] level = new int[GRID][GRID];
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int cell = SIZE / GRID;
        for (int i = 0; i < GRID; i++) {
            for (int j = 0; j < GRID; j++) {
                double t = (values[i * GRID + j] - min) / span;
                level[i][j] = Math.min(LEVELS - 1, (int) (t * LEVELS));
                float shade = 0.35f + 0.6f * level[i][j] / (LEVELS - 1);
                g.setColor(new Color(shade * 0.55f, shade * 0.75f, shade));
                g.fillRect(j * cell, i * cell, cell, cell);
            }
        }
        g.setColor(new Color(20, 20, 60));
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i < GRID; i++) {
            for (int j = 0; j < GRID; j++) {
                if (j + 1 < GRID && level[i][j] != level[i][j + 1]) {
                    g.drawLine((j + 1) * cell, i * cell, (j + 1) * cell, (i + 1) * cell);
                }
                if (i + 1 < GRID && level[i][j] != level[i + 1][j]) {
                    g.drawLine(j * cell, (i + 1) * cell, (j + 1) * cell, (i + 1) * cell);
                }
            }
        }
        dots(g, real, range, new Color(255, 140, 0));
        dots(g, generated, range, new Color(0, 170, 60));
        g.setColor(Color.WHITE);
        g.drawString(String.format("critic value from %.3g (dark) to %.3g (light); real orange, generated green",
                min, max), 8, SIZE - 8);
        g.dispose();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static double coordinate(int index, double range) {
        return -range + 2 * range * (index + 0.5) / GRID;
    }

    private static void dots(Graphics2D g, double[][] points, double range, Color color) {
        g.setColor(color);
        for (double[] p : points) {
            int x = (int) Math.round((p[0] + range) / (2 * range) * SIZE);
            int y = (int) Math.round((range - p[1]) / (2 * range) * SIZE);
            g.fillOval(x - 2, y - 2, 4, 4);
        }
    }
}
