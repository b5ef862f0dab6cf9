"""Reads Parquet files written by ome-arrow-java with pyarrow and checks types and pixels.

usage: check_ours.py KIND FILE [KIND FILE ...]   KIND in list, bytes
Pixel formula as make_fixtures.py; the struct types must equal the Python reference's exactly.
"""
import sys
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

def f(n, t):
    return pa.field(n, t)

channel = pa.struct([f("id", pa.string()), f("name", pa.string()), f("emission_um", pa.float32()),
                     f("excitation_um", pa.float32()), f("illumination", pa.string()), f("color_rgba", pa.uint32())])
pixels_meta = pa.struct([f("dimension_order", pa.string()), f("type", pa.string()), f("size_x", pa.int32()),
    f("size_y", pa.int32()), f("size_z", pa.int32()), f("size_c", pa.int16()), f("size_t", pa.int32()),
    f("physical_size_x", pa.float32()), f("physical_size_y", pa.float32()), f("physical_size_z", pa.float32()),
    f("physical_size_x_unit", pa.string()), f("physical_size_y_unit", pa.string()), f("physical_size_z_unit", pa.string()),
    f("channels", pa.list_(channel))])
planes_t = pa.list_(pa.struct([f("z", pa.int32()), f("t", pa.int32()), f("c", pa.int16()), f("pixels", pa.list_(pa.uint16()))]))
chunk_grid = pa.struct([f("order", pa.string()), f("chunk_t", pa.int32()), f("chunk_c", pa.int16()), f("chunk_z", pa.int32()),
    f("chunk_y", pa.int32()), f("chunk_x", pa.int32()), f("chunk_order", pa.string())])
origin = [f("t", pa.int32()), f("c", pa.int16()), f("z", pa.int32()), f("y", pa.int32()), f("x", pa.int32()),
          f("shape_z", pa.int32()), f("shape_y", pa.int32()), f("shape_x", pa.int32())]

def v2_type(kind):
    if kind == "list":
        item = pa.struct(origin + [f("pixels", pa.list_(pa.uint16()))])
    else:
        item = pa.struct(origin + [f("dtype", pa.string()), f("compression", pa.string()), f("pixel_bytes", pa.large_binary())])
    return pa.struct([f("type", pa.string()), f("version", pa.string()), f("id", pa.string()), f("name", pa.string()),
        f("image_type", pa.string()), f("acquisition_datetime", pa.timestamp("us")), f("pixels_meta", pixels_meta),
        f("chunk_grid", chunk_grid), f("chunks", pa.list_(item)), f("planes", planes_t), f("masks", pa.null())])

def expected(T, C, Z, Y, X):
    t, c, z, y, x = np.meshgrid(*[np.arange(n) for n in (T, C, Z, Y, X)], indexing="ij")
    return ((t * 1000 + c * 300 + z * 50 + y * 7 + x * 3) % 65536).astype(np.uint16)

args = sys.argv[1:]
for kind, path in zip(args[0::2], args[1::2]):
    table = pq.read_table(path)
    assert table.num_rows == 1, table.num_rows
    col = table.schema.field("ome_arrow")
    assert col.type == v2_type(kind), f"{path}: type differs:\n{col.type}\nexpected\n{v2_type(kind)}"
    md = table.schema.metadata
    assert md[b"ome.arrow.type"] == b"ome.arrow", md
    rec = table.column("ome_arrow")[0].as_py()
    pm = rec["pixels_meta"]
    T, C, Z, Y, X = pm["size_t"], pm["size_c"], pm["size_z"], pm["size_y"], pm["size_x"]
    e = expected(T, C, Z, Y, X)
    got = np.zeros_like(e)
    if rec["chunks"]:
        for ch in rec["chunks"]:
            sz, sy, sx = ch["shape_z"], ch["shape_y"], ch["shape_x"]
            if kind == "list":
                blk = np.asarray(ch["pixels"], dtype=np.uint16)
            else:
                raw = ch["pixel_bytes"]
                if ch["compression"] == "zstd":
                    import zstandard
                    raw = zstandard.ZstdDecompressor().decompress(raw)
                elif ch["compression"] == "lz4":
                    import lz4.frame
                    raw = lz4.frame.decompress(raw)
                blk = np.frombuffer(raw, dtype=np.dtype(ch["dtype"]))
            got[ch["t"], ch["c"], ch["z"]:ch["z"] + sz, ch["y"]:ch["y"] + sy, ch["x"]:ch["x"] + sx] = blk.reshape(sz, sy, sx)
    if rec["planes"]:
        pl = np.zeros_like(e)
        for p in rec["planes"]:
            pl[p["t"], p["c"], p["z"]] = np.asarray(p["pixels"], dtype=np.uint16).reshape(Y, X)
        assert np.array_equal(pl, e), f"{path}: plane pixels differ"
        if not rec["chunks"]:
            got = pl
    assert np.array_equal(got, e), f"{path}: chunk pixels differ"
    print("ok", path)
