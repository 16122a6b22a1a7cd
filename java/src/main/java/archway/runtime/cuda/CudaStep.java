package archway.runtime.cuda;

import archway.runtime.BoundStep;

/**
 * One bound step on the device: its kernel's name and the launch, with every address and descriptor
 * fixed at bind time. A launch only queues work on the compute stream, so unlike the CPU's per-kernel
 * step records no Java frame could show a kernel running; Nsight Systems names the device kernels.
 */
record CudaStep(String kernel, Runnable launch) implements BoundStep {
    @Override
    public void run() {
        launch.run();
    }
}
