package org.wgan.ui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.wgan.core.listener.GeneratorStepEvent;

/** A run folder as wgan train writes it, for the tests: run.json, history.csv, sample grids. */
final class FakeRun {

    static final String FINGERPRINT = "12 files, sha256 3f2a9c";

    private FakeRun() {
    }

    /** A folder with run.json (a budget of {@code steps}) and a history.csv holding only its header. */
    static Path create(Path folder, long steps) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("run.json"), "{\n  \"wganVersion\" : \"0.1.0-SNAPSHOT\",\n"
                + "  \"source\" : \"images\",\n  \"images\" : \"/data/shoes\",\n  \"data\" : \"" + FINGERPRINT
                + "\",\n  \"size\" : 32,\n  \"objective\" : \"WGAN_GP\",\n  \"steps\" : " + steps
                + ",\n  \"columnNames\" : [ ]\n}\n");
        Files.writeString(folder.resolve("history.csv"), Row.HEADER + "\n");
        return folder;
    }

    /** History rows for steps {@code from..to}, as TrainingHistory writes them. */
    static String rows(long from, long to) {
        StringBuilder text = new StringBuilder();
        for (long step = from; step <= to; step++) {
            GeneratorStepEvent e = event(step - 1);
            text.append(step).append(',').append(e.criticLoss()).append(',').append(e.generatorLoss()).append(',')
                    .append(e.wassersteinEstimate()).append(',').append(e.penalty()).append(',').append(e.seconds())
                    .append('\n');
        }
        return text.toString();
    }

    static void append(Path folder, String text) throws IOException {
        Files.writeString(folder.resolve("history.csv"), text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** The event of generator step {@code generatorStep} (from 0): a critic loss that falls as training goes. */
    static GeneratorStepEvent event(long generatorStep) {
        double critic = -2.0 / Math.sqrt(generatorStep + 1) - 0.1 * Math.sin(generatorStep);
        return new GeneratorStepEvent(generatorStep, 5, critic, 1.5 + 0.2 * Math.cos(generatorStep), -critic,
                0.05 + 0.01 * (generatorStep % 7), 0.02);
    }

    /** A seeded 8x8 grid of 16-pixel cells, as {@code samples-<step>.png} (with {@code -ema} when asked). */
    static Path grid(Path folder, long step, boolean ema) throws IOException {
        BufferedImage image = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(step);
        for (int cell = 0; cell < 64; cell++) {
            int rgb = random.nextInt(0xFFFFFF);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    image.setRGB((cell % 8) * 16 + x, (cell / 8) * 16 + y, y < 2 || x < 2 ? 0 : rgb);
                }
            }
        }
        Path file = folder.resolve(String.format(Locale.ROOT, "samples-%06d%s.png", step, ema ? "-ema" : ""));
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** Sends {@code request} as it is on a socket and returns the status line of the answer ("" when none). */
    static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                line.append((char) c);
            }
            return line.toString().trim();
        }
    }
}
