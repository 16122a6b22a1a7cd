package archway.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** Creates downcall handles into one native library; shorthand layouts for the C ABI in archway.h. */
public final class Downcalls {
    public static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE;
    public static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

    private final SymbolLookup lookup;
    private final String library;

    public Downcalls(SymbolLookup lookup, String library) {
        this.lookup = lookup;
        this.library = library;
    }

    /** The handle of {@code name}, which must return int32 status; fails fast when the symbol is missing. */
    public MethodHandle status(String name, java.lang.foreign.MemoryLayout... args) {
        return handle(name, FunctionDescriptor.of(I32, args));
    }

    public MethodHandle handle(String name, FunctionDescriptor descriptor) {
        var symbol = lookup.find(name)
                .orElseThrow(() -> new NativeException(library + " has no symbol " + name + " (stale native build?)"));
        return Linker.nativeLinker().downcallHandle(symbol, descriptor);
    }
}
