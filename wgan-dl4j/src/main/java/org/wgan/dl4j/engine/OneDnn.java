package org.wgan.dl4j.engine;

import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oneDNN called directly, through bytedeco's JavaCPP build of it (oneDNN 2.5.2, its own shared library, separate
 * from the copy linked inside libnd4j's oneDNN build): the engine, a stream per thread, and the few calls the
 * direct convolutions ({@link DirectConvolution}) share.
 *
 * <p>Used where it loads (the natives of the platform are on the class path) unless the system property
 * {@code wgan.onednn} is {@code false}; otherwise every convolution goes through libnd4j's ops as before.
 */
final class OneDnn {

    /** The system property that turns the direct calls off ({@code -Dwgan.onednn=false}). */
    static final String PROPERTY = "wgan.onednn";

    /** The working buffers per thread: one per argument of a primitive (source, weights, bias, destination). */
    static final int WORKSPACE_SLOTS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(OneDnn.class);

    private static final ThreadLocal<Workspaces> WORKSPACES = ThreadLocal.withInitial(Workspaces::new);

    private static final dnnl_engine ENGINE = load();

    private static final ThreadLocal<dnnl_stream> STREAMS = ThreadLocal.withInitial(() -> {
        dnnl_stream stream = new dnnl_stream();
        check(dnnl_stream_create(stream, ENGINE, dnnl_stream_default_flags), "dnnl_stream_create");
        return stream;
    });

    private OneDnn() {
    }

    /** True when the direct calls are on and oneDNN's natives loaded. */
    static boolean available() {
        return ENGINE != null;
    }

    static dnnl_engine engine() {
        return ENGINE;
    }

    /** The calling thread's stream. */
    static dnnl_stream stream() {
        return STREAMS.get();
    }

    /**
     * Checks a oneDNN status.
     *
     * @throws IllegalStateException naming the call and the status when it is not success
     */
    static void check(int status, String call) {
        if (status != dnnl_success) {
            throw new IllegalStateException(call + " failed with oneDNN status " + status);
        }
    }

    /** A float32 memory descriptor of {@code dims} in the layout {@code tag} (or {@code dnnl_format_tag_any}). */
    static dnnl_memory_desc_t floats(long[] dims, int tag) {
        dnnl_memory_desc_t desc = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(desc, dims.length, dims, dnnl_f32, tag), "dnnl_memory_desc_init_by_tag");
        return desc;
    }

    /** A memory object of {@code desc} with no buffer yet: {@link #point} gives it one before each call. */
    static dnnl_memory memory(dnnl_memory_desc_t desc) {
        dnnl_memory memory = new dnnl_memory();
        check(dnnl_memory_create(memory, desc, ENGINE, null), "dnnl_memory_create");
        return memory;
    }

    /** Points {@code memory} at {@code array}'s first element (a c-contiguous float array). */
    static void point(dnnl_memory memory, INDArray array) {
        // the data buffer's address is that of the array's element 0, views included (as engine.Gemm reads it)
        check(dnnl_memory_set_data_handle(memory, new Address(array.data().addressPointer().address())),
                "dnnl_memory_set_data_handle");
    }

    /** Points {@code memory} at {@code buffer}. */
    static void point(dnnl_memory memory, Pointer buffer) {
        check(dnnl_memory_set_data_handle(memory, buffer), "dnnl_memory_set_data_handle");
    }

    /** The bytes a memory of {@code desc} takes. */
    static long bytes(dnnl_memory_desc_t desc) {
        return dnnl_memory_desc_get_size(desc);
    }

    /**
     * Working buffer {@code slot} (below {@link #WORKSPACE_SLOTS}) of the calling thread, grown to the largest size
     * asked for and shared by every direct convolution on that thread: a primitive's reordered copies are needed
     * only while it runs, so the passes' many shapes do not each keep copies of their activations.
     */
    static Pointer workspace(int slot, long bytes) {
        return WORKSPACES.get().get(slot, bytes);
    }

    /**
     * The alignment of the working buffers, in bytes. oneDNN's own allocations are 64-byte aligned and its kernels
     * may load blocked layouts with aligned vector loads: a malloc'd (16-byte aligned) buffer crashed a 2-thread
     * Winograd convolution with a general-protection fault.
     */
    static final int ALIGNMENT = 64;

    private static final class Workspaces {
        private final FloatPointer[] buffers = new FloatPointer[WORKSPACE_SLOTS];
        private final Pointer[] aligned = new Pointer[WORKSPACE_SLOTS];

        Pointer get(int slot, long bytes) {
            long floats = (bytes + Float.BYTES - 1) / Float.BYTES + ALIGNMENT / Float.BYTES;
            FloatPointer buffer = buffers[slot];
            if (buffer == null || buffer.capacity() < floats) {
                if (buffer != null) {
                    buffer.close();
                }
                buffer = new FloatPointer(floats);
                buffers[slot] = buffer;
                long at = buffer.address();
                aligned[slot] = new Address((at + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
            }
            return aligned[slot];
        }
    }

    /** A pointer at a raw address, for oneDNN's data handles. */
    private static final class Address extends Pointer {
        Address(long at) {
            address = at;
        }
    }

    private static dnnl_engine load() {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            return null;
        }
        try {
            dnnl_engine engine = new dnnl_engine();
            check(dnnl_engine_create(engine, dnnl_cpu, 0), "dnnl_engine_create");
            return engine;
        } catch (RuntimeException | LinkageError e) {
            // no natives for this platform (UnsatisfiedLinkError, NoClassDefFoundError) or no CPU engine
            LOG.info("oneDNN is not available ({}); convolutions go through libnd4j's ops", e.toString());
            return null;
        }
    }
}
