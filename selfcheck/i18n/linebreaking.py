"""Which characters may not start or end a line (禁则, kinsoku): one list for the CLI's help
wrapping and the screens' line breaking (``selfcheck.widgets.linebreak``)."""

#: Characters no line may start with: closing punctuation, iteration marks, small kana, and the
#: ASCII marks that close a clause.
NO_LINE_START = (
    "，。、；：？！．）」』》〉】〕］｝〗〙〛〞’”…‥—～〜"
    "ー・々ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    ",.;:?!)]}"
)
#: Characters no line may end with: opening punctuation.
NO_LINE_END = "（「『《〈【〔［｛〖〘〚〝‘“([{"
