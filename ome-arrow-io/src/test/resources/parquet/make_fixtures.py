"""Writes OME-Arrow Parquet files in the Python reference's layouts (pyarrow only).

usage: make_fixtures.py OUT_DIR
Pixel value at (t, c, z, y, x) = (t*1000 + c*300 + z*50 + y*7 + x*3) % 65536, so the Java test
can check every pixel without sharing data files.
"""
import sys, os, datetime
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

out = sys.argv[1]

def pix(T, C, Z, Y, X, dtype=np.uint16):
    t, c, z, y, x = np.meshgrid(*[np.arange(n) for n in (T, C, Z, Y, X)], indexing="ij")
    return ((t * 1000 + c * 300 + z * 50 + y * 7 + x * 3) % 65536).astype(dtype)

def f(n, t):
    return pa.field(n, t)

channel = pa.struct([f("id", pa.string()), f("name", pa.string()), f("emission_um", pa.float32()),
                     f("excitation_um", pa.float32()), f("illumination", pa.string()), f("color_rgba", pa.uint32())])
pixels_meta = pa.struct([f("dimension_order", pa.string()), f("type", pa.string()), f("size_x", pa.int32()),
    f("size_y", pa.int32()), f("size_z", pa.int32()), f("size_c", pa.int16()), f("size_t", pa.int32()),
    f("physical_size_x", pa.float32()), f("physical_size_y", pa.float32()), f("physical_size_z", pa.float32()),
    f("physical_size_x_unit", pa.string()), f("physical_size_y_unit", pa.string()), f("physical_size_z_unit", pa.string()),
    f("channels", pa.list_(channel))])

def planes_t(lst):
    return lst(pa.struct([f("z", pa.int32()), f("t", pa.int32()), f("c", pa.int16()), f("pixels", lst(pa.uint16()))]))

chunk_grid = pa.struct([f("order", pa.string()), f("chunk_t", pa.int32()), f("chunk_c", pa.int16()), f("chunk_z", pa.int32()),
    f("chunk_y", pa.int32()), f("chunk_x", pa.int32()), f("chunk_order", pa.string())])
origin = [f("t", pa.int32()), f("c", pa.int16()), f("z", pa.int32()), f("y", pa.int32()), f("x", pa.int32()),
          f("shape_z", pa.int32()), f("shape_y", pa.int32()), f("shape_x", pa.int32())]

def v0_type(lst=pa.list_):
    return pa.struct([f("type", pa.string()), f("version", pa.string()), f("id", pa.string()), f("name", pa.string()),
        f("acquisition_datetime", pa.timestamp("us")), f("pixels_meta", pixels_meta), f("planes", planes_t(lst)), f("masks", pa.null())])

def v2_type(kind, lst=pa.list_):
    if kind == "list":
        item = pa.struct(origin + [f("pixels", lst(pa.uint16()))])
    elif kind == "bytes-old":
        item = pa.struct(origin + [f("dtype", pa.string()), f("pixel_bytes", pa.large_binary())])
    else:
        item = pa.struct(origin + [f("dtype", pa.string()), f("compression", pa.string()), f("pixel_bytes", pa.large_binary())])
    return pa.struct([f("type", pa.string()), f("version", pa.string()), f("id", pa.string()), f("name", pa.string()),
        f("image_type", pa.string()), f("acquisition_datetime", pa.timestamp("us")), f("pixels_meta", pixels_meta),
        f("chunk_grid", chunk_grid), f("chunks", lst(item)), f("planes", planes_t(lst)), f("masks", pa.null())])

def meta(arr, dtype="uint16"):
    T, C, Z, Y, X = arr.shape
    return {"dimension_order": "XYZCT" if Z > 1 else "XYCT", "type": dtype, "size_x": X, "size_y": Y, "size_z": Z,
            "size_c": C, "size_t": T, "physical_size_x": 0.65, "physical_size_y": 0.65, "physical_size_z": 2.0,
            "physical_size_x_unit": "µm", "physical_size_y_unit": "µm", "physical_size_z_unit": "µm",
            "channels": [{"id": f"ch-{i}", "name": f"C{i}", "emission_um": 0.5, "excitation_um": 0.4,
                          "illumination": "Epifluorescence", "color_rgba": 0xFF0000FF} for i in range(C)]}

def planes(arr):
    T, C, Z, Y, X = arr.shape
    return [{"z": z, "t": t, "c": c, "pixels": arr[t, c, z].ravel().tolist()} for t in range(T) for c in range(C) for z in range(Z)]

def chunks(arr, cz, cy, cx, kind="list", comp=None):
    import zstandard, lz4.frame
    T, C, Z, Y, X = arr.shape
    out = []
    i = 0
    for t in range(T):
        for c in range(C):
            for z0 in range(0, Z, cz):
                for y0 in range(0, Y, cy):
                    for x0 in range(0, X, cx):
                        blk = arr[t, c, z0:z0 + cz, y0:y0 + cy, x0:x0 + cx]
                        d = {"t": t, "c": c, "z": z0, "y": y0, "x": x0, "shape_z": blk.shape[0], "shape_y": blk.shape[1], "shape_x": blk.shape[2]}
                        if kind == "list":
                            d["pixels"] = blk.ravel().tolist()
                        else:
                            raw = np.ascontiguousarray(blk).tobytes()
                            d["dtype"] = str(arr.dtype)
                            codec = comp if comp != "mixed" else ["zstd", "lz4", None][i % 3]
                            if codec == "zstd":
                                raw = zstandard.ZstdCompressor(level=3).compress(raw)
                            elif codec == "lz4":
                                raw = lz4.frame.compress(raw)
                            if kind == "bytes":
                                d["compression"] = codec
                            d["pixel_bytes"] = raw
                        out.append(d)
                        i += 1
    return out

def record(arr, kind, cz=1, cy=4, cx=5, comp=None, with_planes=True, image_id="img", dtype="uint16"):
    r = {"type": "ome.arrow", "version": "0.0.9", "id": image_id, "name": image_id + ".tif",
         "acquisition_datetime": datetime.datetime(2025, 1, 1, 12, 0, 0), "pixels_meta": meta(arr, dtype)}
    if kind == "v0":
        r["planes"] = planes(arr)
        r["masks"] = None
        return r
    r["image_type"] = "image"
    r["chunk_grid"] = {"order": "TCZYX", "chunk_t": 1, "chunk_c": 1, "chunk_z": cz, "chunk_y": cy, "chunk_x": cx, "chunk_order": "ZYX"}
    r["chunks"] = chunks(arr, cz, cy, cx, kind, comp)
    r["planes"] = planes(arr) if (with_planes and kind == "list") else []
    r["masks"] = None
    return r

META = {b"ome.arrow.type": b"ome.arrow", b"ome.arrow.version": b"0.0.9"}

def write(name, col, typ, recs, **kw):
    table = pa.table({col: pa.array(recs, type=typ)}).replace_schema_metadata(META)
    pq.write_table(table, os.path.join(out, name), **kw)

a = pix(1, 2, 3, 9, 11)
write("v0.parquet", "ome_arrow", v0_type(), [record(a, "v0")])
write("v2_list.parquet", "ome_arrow", v2_type("list"), [record(a, "list", 2, 4, 5)])
write("v2_list_chunks_only.parquet", "image", v2_type("list"), [record(a, "list", 1, 4, 5, with_planes=False)])
write("v2_bytes_old.parquet", "ome_arrow", v2_type("bytes-old"), [record(a, "bytes-old", 1, 4, 5)])
write("v2_bytes_none.parquet", "ome_arrow", v2_type("bytes"), [record(a, "bytes", 1, 4, 5, comp=None)])
write("v2_bytes_zstd.parquet", "ome_arrow", v2_type("bytes"), [record(a, "bytes", 2, 4, 5, comp="zstd")])
write("v2_bytes_lz4.parquet", "ome_arrow", v2_type("bytes"), [record(a, "bytes", 1, 9, 11, comp="lz4")])
write("v2_bytes_mixed.parquet", "ome_arrow", v2_type("bytes"), [record(a, "bytes", 1, 4, 5, comp="mixed")])
write("v2_large_list.parquet", "ome_arrow", v2_type("list", pa.large_list), [record(a, "list", 1, 4, 5)])
write("v2_list_snappy_plain.parquet", "ome_arrow", v2_type("list"), [record(a, "list", 1, 4, 5)], compression="snappy", use_dictionary=False)
write("v2_list_none_v2pages.parquet", "ome_arrow", v2_type("list"), [record(a, "list", 1, 4, 5)], compression="none",
      data_page_version="2.0", data_page_size=256)

# CytoDataFrame-like: many rows, feature columns, several OME-Arrow columns per row (V0 schema)
rows = []
for i in range(7):
    img = pix(1, 1, 1, 5 + i, 6 + i)
    rows.append(i)
recs_orig = [record(pix(1, 1, 1, 5 + i, 6 + i) + i, "v0", image_id=f"orig-{i}") for i in range(7)]
recs_labl = [record(pix(1, 1, 1, 5 + i, 6 + i) % 3, "v0", image_id=f"labl-{i}") for i in range(7)]
table = pa.table({
    "Metadata_Site": pa.array([f"s{i}" for i in range(7)]),
    "Nuclei_AreaShape_Area": pa.array([100.5 + i for i in range(7)]),
    "ObjectNumber": pa.array(list(range(7)), type=pa.int64()),
    "Image_FileName_OrigDNA_OMEArrow_ORIG": pa.array(recs_orig, type=v0_type()),
    "Image_FileName_OrigDNA_OMEArrow_LABL": pa.array(recs_labl, type=v0_type()),
}).replace_schema_metadata(META)
pq.write_table(table, os.path.join(out, "cyto.parquet"), row_group_size=3)
print("ok")
