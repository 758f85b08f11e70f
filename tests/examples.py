"""One realistic job per IPS job type, keyed by its SubmitJobParam field.

Rich on purpose: nested option types, arrays and enums all cross the wire in the
round-trip tests.
"""

from __future__ import annotations

from typing import Any

EXAMPLE_JOBS: dict[str, dict[str, Any]] = {
    "export_job": {
        "asset_handle_array": ["a|1001|img-1", "a|1001|img-2"],
        "fmt": "convert",
        "is_modifier": "wid=800&fmt=jpeg",
        "email_setting": "None",
    },
    "image_serving_publish_job": {
        "publish_type": "Incremental",
        "email_setting": "ErrorAndWarning",
        "http_completion_url": "https://hooks.example.com/ips/done",
    },
    "image_rendering_publish_job": {"email_setting": "Error", "context_handle": "ctx|render"},
    "video_publish_job": {"email_setting": "All", "context_handle": "ctx|video"},
    "server_directory_publish_job": {"email_setting": "JobCompletion"},
    "upload_directory_job": {
        "server_dir": "/incoming/spring",
        "dest_folder": "DemoCompany/spring/",
        "overwrite": True,
        "include_subfolders": False,
        "ready_for_publish": True,
        "manual_crop_options": {"left": 10, "right": 10, "top": 0, "bottom": 5},
        "photoshop_options": {
            "process": "MaintainLayers",
            "layer_options": {"anchor": "Center", "create_template": True},
        },
        "unsharp_mask_options": {"amount": 1.5, "radius": 2.0, "threshold": 3, "monochrome": 0},
        "post_image_serving_publish_job": {"publish_type": "Full"},
        "project_handle_array": ["p|1", "p|2"],
        "xmp_keywords": "spring, catalog",
    },
    "upload_urls_job": {
        "url_array": [
            "https://assets.example.com/shoe-1.jpg",
            "https://assets.example.com/shoe-2.jpg",
        ],
        "overwrite": True,
        "auto_color_crop_options": {"corner": "UpperLeft", "tolerance": 0.1},
        "media_options": {
            "generate_thumbnail": True,
            "thumbnail_options": {"thumbnail_time": 1500},
            "video_encoding_presets_array": ["preset|mp4-720"],
        },
        "knockout_background": {
            "corner": "UpperRight",
            "tolerance": 0.2,
            "fill_method": "FloodFill",
        },
    },
    "optimize_images_job": {"email_setting": "Error"},
    "rip_pdfs_job": {
        "pdf_handle_array": ["a|1001|catalog.pdf"],
        "pdf_options": {"process": "Rasterize", "resolution": 150.0, "colorspace": "Rgb"},
        "auto_transparent_crop_options": {"tolerance": 0.05},
    },
    "reprocess_assets_job": {
        "asset_handle_array": ["a|1001|img-3"],
        "preserve_crop": True,
        "color_management_options": {"color_management": "Convert"},
        "post_video_publish_job": {"email_setting": "None"},
    },
    "automated_set_generation_job": {
        "asset_handle_array": ["a|1001|img-4", "a|1001|img-5"],
        "dest_folder": "DemoCompany/sets/",
        "auto_set_creation_options": {"auto_sets_array": ["script|swatches"]},
        "ready_for_publish": False,
        "email_setting": "None",  # required by IPS, like the two above
    },
}
