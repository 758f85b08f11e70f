"""Option blocks nested in the upload and processing job types.

Fields are listed in the order of the IPS reference tables, or of Adobe's example message
where one shows the type (``PhotoshopOptions``: ``process`` before ``layerOptions``); that is
the order they are sent in. Ranges are enforced only where IPS documents them; fields that
Adobe's XSD snippets declare as required are required when sent (``required_on_send``).
The colour space field is spelled ``colorspace`` (PDF, PostScript) and ``colorSpace``
(Illustrator) by the type pages; each type sends its page's spelling and reads both.
"""

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from airflow_provider_ips.models._base import IpsArray, IpsRequestModel, XsdType, ips_spelling
from airflow_provider_ips.models.enums import (
    AutoCropCorner,
    ColorManagementMode,
    IllustratorProcess,
    KnockoutFillMethod,
    PdfProcess,
    PhotoshopAnchorMode,
    PhotoshopLayerNamingMode,
    PhotoshopProcess,
    PostScriptColorspaceMode,
    PostScriptProcess,
    UnCompressProcess,
)

HandleArray = Annotated[list[str] | None, IpsArray("HandleArray")]
"""An optional list of IPS handles, sent as ``HandleArray``."""

#: A colour tolerance: 0 matches colours exactly, 1 allows the widest difference.
Tolerance = Annotated[float | None, Field(ge=0.0, le=1.0)]


def _number_as_text(value: Any) -> Any:
    """Accept ``150`` where IPS types a numeric setting as a string."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _colour_space(send: str, name: str = "colorspace") -> Any:
    """The colour space field: sent as ``send``, read as ``colorspace`` or ``colorSpace``."""
    return ips_spelling(name, send, "colorspace", "colorSpace")


class AutoColorCropOptions(IpsRequestModel):
    """Crop uniform-colour borders automatically, sampling the colour at a corner."""

    corner: AutoCropCorner | None = None
    """Corner whose colour defines the border to remove."""
    tolerance: Tolerance = None
    """0 matches the corner colour exactly; 1 allows the widest colour difference."""


class AutoTransparentCropOptions(IpsRequestModel):
    """Crop transparent borders automatically."""

    tolerance: Tolerance = None
    """0 matches exactly; 1 allows the widest difference."""


class ManualCropOptions(IpsRequestModel):
    """Crop a fixed number of pixels from each edge."""

    left: int | None = Field(default=None, ge=0)
    right: int | None = Field(default=None, ge=0)
    top: int | None = Field(default=None, ge=0)
    bottom: int | None = Field(default=None, ge=0)


class ColorManagementOptions(IpsRequestModel):
    """Colour handling on upload."""

    color_management: ColorManagementMode | None = None
    source_profile_handle: str | None = None
    """ICC profile assumed for the source files."""
    output_profile_handle: str | None = None
    """ICC profile to convert to."""


class PhotoshopLayerOptions(IpsRequestModel):
    """How layers of Photoshop files are extracted."""

    layer_naming: PhotoshopLayerNamingMode | None = None
    anchor: PhotoshopAnchorMode | None = None
    create_template: bool | None = None
    """Build a template from the layers."""
    extract_text: bool | None = None
    """Extract text as text layers."""
    extend_layers: bool | None = None
    """Extend layers to the size of the background."""


class PhotoshopOptions(IpsRequestModel):
    """Processing of uploaded Photoshop files.

    The table lists ``layerOptions`` first; Adobe's HTTP POST example sends ``process``
    first, and the example's order is the one used.
    """

    process: PhotoshopProcess | None = None
    layer_options: PhotoshopLayerOptions | None = None


class PDFOptions(IpsRequestModel):
    """Processing of uploaded PDF files."""

    process: PdfProcess | None = None
    resolution: float | None = None
    """Rasterising resolution."""
    colorspace: PostScriptColorspaceMode | None = _colour_space("colorspace")
    pdf_catalog: bool | None = None
    """Combine a multi-page PDF into an eCatalog (IPS default: true)."""
    extract_search_words: bool | None = None
    extract_links: bool | None = None
    """Turn PDF links into image maps on the rasterised pages."""


class IllustratorOptions(IpsRequestModel):
    """Processing of uploaded Illustrator files."""

    process: IllustratorProcess | None = None
    resolution: Annotated[str | None, BeforeValidator(_number_as_text)] = None
    """Rasterising resolution (IPS types it as a string; numbers are accepted)."""
    color_space: PostScriptColorspaceMode | None = _colour_space("colorSpace", "color_space")
    """Target colour space; ``colorspace`` (the PDF/PostScript spelling) is accepted too."""
    alpha: bool | None = None
    """Keep a transparent background when rasterising."""


class InDesignOptions(IpsRequestModel):
    """Processing of uploaded InDesign files.

    IPS publishes no reference page for this type; only ``process`` is known to be used.
    """

    process: str | None = None


class PostScriptOptions(IpsRequestModel):
    """Processing of uploaded EPS/PostScript files."""

    process: PostScriptProcess | None = None
    resolution: float | None = None
    """Rasterising resolution."""
    colorspace: PostScriptColorspaceMode | None = _colour_space("colorspace")
    alpha: bool | None = None
    """Keep a transparent background when rasterising."""
    extract_search_words: bool | None = None


class UnsharpMaskOptions(IpsRequestModel):
    """Unsharp mask applied when the optimised pyramid TIFF is built."""

    amount: float | None = Field(default=None, ge=0.0, le=5.0)
    """Edge contrast, 0.0 to 5.0."""
    radius: float | None = Field(default=None, ge=0.0, le=250.0)
    """Width of the sharpened edge band in pixels, 0.0 to 250.0."""
    threshold: int | None = Field(default=None, ge=0, le=255)
    """How different a pixel must be to count as an edge, 0 to 255."""
    monochrome: int | None = Field(default=None, ge=0, le=1)
    """0 sharpens each colour channel, 1 only the brightness."""


class KnockoutBackgroundOptions(IpsRequestModel):
    """Make the background of images transparent.

    Adobe's XSD snippet for this type requires ``corner`` and ``fillMethod``.
    """

    required_on_send = ("corner", "fill_method")

    corner: AutoCropCorner | None = None
    """Corner whose colour is taken as the background; required by IPS."""
    tolerance: Tolerance = None
    """0 matches exactly; 1 allows the widest difference."""
    fill_method: KnockoutFillMethod | None = None
    """Required by IPS."""


class ThumbnailOptions(IpsRequestModel):
    """Which video frame becomes the thumbnail."""

    thumbnail_time: Annotated[int | None, XsdType("xsd:long"), Field(ge=0)] = None
    """Offset of the frame from the start of the video, in milliseconds."""


class MediaOptions(IpsRequestModel):
    """Video handling on upload."""

    video_encoding_presets_array: HandleArray = None
    """Handles of the video encoding presets to transcode with."""
    generate_thumbnail: bool | None = None
    """Use the first frame as the thumbnail."""
    thumbnail_options: ThumbnailOptions | None = None


class UnCompressOptions(IpsRequestModel):
    """Handling of uploaded ZIP/TAR archives."""

    required_on_send = ("process",)

    process: UnCompressProcess | None = None
    """Required by IPS (Adobe's XSD snippet for this type)."""


class AutoSetCreationOptions(IpsRequestModel):
    """Automatic set generation scripts applied to uploaded files."""

    auto_sets_array: HandleArray = None
    """Handles of the set generation scripts (property sets)."""
