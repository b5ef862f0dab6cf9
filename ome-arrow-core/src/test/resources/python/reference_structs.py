"""The OME-Arrow struct types as the Python ome-arrow package declares them (field order, types,
nullability), written here independently from the Java code so tests can compare the two, plus
helpers that write reference-layout files with pyarrow."""
import datetime
import numpy as np
import pyarrow as pa

CHANNEL = pa.struct([
    ("id", pa.string()), ("name", pa.string()), ("emission_um", pa.float32()),
    ("excitation_um", pa.float32()), ("illumination", pa.string()), ("color_rgba", pa.uint32()),
])
PIXELS_META = pa.struct([
    ("dimension_order", pa.string()), ("type", pa.string()),
    ("size_x", pa.int32()), ("size_y", pa.int32()), ("size_z", pa.int32()), ("size_c", pa.int16()), ("size_t", pa.int32()),
    ("physical_size_x", pa.float32()), ("physical_size_y", pa.float32()), ("physical_size_z", pa.float32()),
    ("physical_size_x_unit", pa.string()), ("physical_size_y_unit", pa.string()), ("physical_size_z_unit", pa.string()),
    ("channels", pa.list_(CHANNEL)),
])
PLANE = pa.struct([("z", pa.int32()), ("t", pa.int32()), ("c", pa.int16()), ("pixels", pa.list_(pa.uint16()))])
CHUNK_GRID = pa.struct([
    ("order", pa.string()), ("chunk_t", pa.int32()), ("chunk_c", pa.int16()), ("chunk_z", pa.int32()),
    ("chunk_y", pa.int32()), ("chunk_x", pa.int32()), ("chunk_order", pa.string()),
])
_ORIGIN = [("t", pa.int32()), ("c", pa.int16()), ("z", pa.int32()), ("y", pa.int32()), ("x", pa.int32()),
           ("shape_z", pa.int32()), ("shape_y", pa.int32()), ("shape_x", pa.int32())]
CHUNK_LIST = pa.struct(_ORIGIN + [("pixels", pa.list_(pa.uint16()))])
CHUNK_BYTES_OLD = pa.struct(_ORIGIN + [("dtype", pa.string()), ("pixel_bytes", pa.large_binary())])
CHUNK_BYTES = pa.struct(_ORIGIN + [("dtype", pa.string()), ("compression", pa.string()), ("pixel_bytes", pa.large_binary())])

V0 = pa.struct([
    ("type", pa.string()), ("version", pa.string()), ("id", pa.string()), ("name", pa.string()),
    ("acquisition_datetime", pa.timestamp("us")), ("pixels_meta", PIXELS_META), ("planes", pa.list_(PLANE)), ("masks", pa.null()),
])


def v2(chunk_item):
    return pa.struct([
        ("type", pa.string()), ("version", pa.string()), ("id", pa.string()), ("name", pa.string()),
        ("image_type", pa.string()), ("acquisition_datetime", pa.timestamp("us")), ("pixels_meta", PIXELS_META),
        ("chunk_grid", CHUNK_GRID), ("chunks", pa.list_(chunk_item)), ("planes", pa.list_(PLANE)), ("masks", pa.null()),
    ])


OME_ARROW_STRUCT = v2(CHUNK_LIST)
OME_ARROW_BYTE_STRUCT_OLD = v2(CHUNK_BYTES_OLD)
OME_ARROW_BYTE_STRUCT = v2(CHUNK_BYTES)
VARIANTS = {"v0": V0, "v2-list": OME_ARROW_STRUCT, "v2-bytes-old": OME_ARROW_BYTE_STRUCT_OLD, "v2-bytes": OME_ARROW_BYTE_STRUCT}


def sample_array(t=2, c=2, z=3, y=20, x=30, dtype="uint16", seed=1):
    """The deterministic TCZYX array the Java tests recompute: (i * 7919 + seed) mod 65521, cast."""
    n = t * c * z * y * x
    a = ((np.arange(n, dtype=np.int64) * 7919 + seed) % 65521).astype(dtype)
    return a.reshape(t, c, z, y, x)


def record(variant, arr, chunk=(1, 8, 16), compression=None):
    t, c, z, y, x = arr.shape
    meta = {
        "dimension_order": "XYZCT" if z > 1 else "XYCT", "type": str(arr.dtype),
        "size_x": x, "size_y": y, "size_z": z, "size_c": c, "size_t": t,
        "physical_size_x": 0.5, "physical_size_y": 0.5, "physical_size_z": 2.0,
        "physical_size_x_unit": "µm", "physical_size_y_unit": "µm", "physical_size_z_unit": "µm",
        "channels": [{"id": f"ch-{i}", "name": f"C{i}", "emission_um": 0.0, "excitation_um": 0.0,
                      "illumination": "Unknown", "color_rgba": 0xFFFFFFFF} for i in range(c)],
    }
    rec = {"type": "ome.arrow", "version": "0.0.3", "id": "ref", "name": "reference.tif",
           "acquisition_datetime": datetime.datetime(2025, 11, 20, 12, 0, 0), "pixels_meta": meta, "masks": None}
    planes = []
    if variant in ("v0", "v2-list"):
        for ti in range(t):
            for ci in range(c):
                for zi in range(z):
                    planes.append({"z": zi, "t": ti, "c": ci, "pixels": arr[ti, ci, zi].reshape(-1).astype(np.uint16).tolist()})
    rec["planes"] = planes
    if variant == "v0":
        return rec
    rec["image_type"] = "image"
    cz, cy, cx = chunk
    chunks = []
    for ti in range(t):
        for ci in range(c):
            for z0 in range(0, z, cz):
                for y0 in range(0, y, cy):
                    for x0 in range(0, x, cx):
                        slab = arr[ti, ci, z0:z0 + cz, y0:y0 + cy, x0:x0 + cx]
                        ch = {"t": ti, "c": ci, "z": z0, "y": y0, "x": x0,
                              "shape_z": slab.shape[0], "shape_y": slab.shape[1], "shape_x": slab.shape[2]}
                        if variant == "v2-list":
                            ch["pixels"] = slab.reshape(-1).astype(np.uint16).tolist()
                        else:
                            raw = np.ascontiguousarray(slab).astype(slab.dtype.newbyteorder("<")).tobytes()
                            ch["dtype"] = str(arr.dtype)
                            if variant == "v2-bytes":
                                if compression == "zstd":
                                    import imagecodecs
                                    raw, ch["compression"] = imagecodecs.zstd_encode(raw), "zstd"
                                elif compression == "lz4":
                                    import imagecodecs
                                    raw, ch["compression"] = imagecodecs.lz4f_encode(raw), "lz4"
                                else:
                                    ch["compression"] = None
                            ch["pixel_bytes"] = raw
                        chunks.append(ch)
    rec["chunks"] = chunks
    rec["chunk_grid"] = {"order": "TCZYX", "chunk_t": 1, "chunk_c": 1, "chunk_z": cz, "chunk_y": cy, "chunk_x": cx, "chunk_order": "ZYX"}
    return rec


def table(variant, arr, column="ome_arrow", **kw):
    col = pa.array([record(variant, arr, **kw)], type=VARIANTS[variant])
    schema = pa.schema([pa.field(column, VARIANTS[variant])], metadata={"ome.arrow.type": "ome.arrow", "ome.arrow.version": "0.0.3"})
    return pa.Table.from_arrays([col], schema=schema)
