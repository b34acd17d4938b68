"""The terms of the plankg ontology, the names :data:`plankg.vocab.PK` accepts.

Generated from ontology/plankg.ttl by ``python -m plankg.vocab_gen`` — do not edit.
"""

TERMS = (
    # Classes 类
    "ActionPlan",  # action plan
    "AnnualPromotionPlan",  # annual promotion plan
    "Attestation",  # attestation
    "Book",  # book (篇)
    "Box",  # box
    "Bullet",  # bullet
    "Chapter",  # chapter (章)
    "ChapterSection",  # chapter section (节)
    "Comparator",  # comparator
    "ConfidenceMark",  # confidence mark
    "CuratedMapping",  # curated mapping
    "Division",  # division
    "ExtractionRule",  # extraction rule
    "FiveYearPlan",  # five-year plan
    "Goal",  # goal
    "Indicator",  # indicator
    "IndicatorAttribute",  # indicator attribute
    "IndicatorTable",  # indicator table
    "IndicatorValue",  # indicator value
    "Item",  # item
    "Opinion",  # opinion
    "Outline",  # outline
    "Paragraph",  # lead paragraph
    "Part",  # part
    "Plan",  # plan
    "PolicyDocument",  # policy document
    "Principle",  # principle
    "Project",  # project
    "Safeguard",  # safeguard
    "Section",  # section
    "Source",  # source
    "StatedCount",  # stated count
    "Strategy",  # strategy
    "SubItem",  # sub-item
    "SuggestedMapping",  # suggested mapping
    "Task",  # task
    "ValueRole",  # value role
    # Object properties 对象属性
    "attribute",  # attribute
    "basedOn",  # based on
    "comparator",  # comparator
    "confidence",  # confidence
    "coordinatedBy",  # coordinated by
    "draftedBy",  # drafted by
    "extractedBy",  # extracted by
    "hasValue",  # has value
    "implements",  # implements
    "inDocument",  # in document
    "inMappingSet",  # in mapping set
    "indicator",  # indicator
    "issuedBy",  # issued by
    "measures",  # measures
    "numberConfidence",  # number confidence
    "statedCount",  # has stated count
    "statedIn",  # stated in
    "succeeds",  # succeeds
    "supports",  # supports
    "tracks",  # tracks
    "valueRole",  # value role
    "within",  # within
    # Datatype properties 数据属性
    "asOf",  # as of
    "curated",  # curated
    "datePublished",  # date published
    "dateSigned",  # date signed
    "documentId",  # document id
    "documentNumber",  # document number
    "headingKnown",  # heading known
    "matchedText",  # matched text
    "nameKnown",  # name known
    "number",  # number
    "official",  # official
    "ordinal",  # ordinal
    "periodEnd",  # period end
    "periodStart",  # period start
    "placeKnown",  # place known
    "planningType",  # planning type
    "position",  # position
    "refYear",  # reference year
    "sourceId",  # source id
    "sourceLine",  # source line
    "targetYear",  # target year
    "text",  # text
    "uncertain",  # uncertain
    "unit",  # unit
    "unmatched",  # unmatched
    "value",  # value
    # Annotation properties 注释属性
    "countOf",  # count of
    # Concept schemes 概念方案
    "AttributeScheme",  # indicator attribute scheme
    "ComparatorScheme",  # comparator scheme
    "ConfidenceScheme",  # confidence scheme
    "ValueRoleScheme",  # value role scheme
    # Concepts 概念
    "actual",  # actual
    "anticipatory",  # anticipatory
    "atLeast",  # at least
    "atMost",  # at most
    "baseline",  # baseline
    "binding",  # binding
    "greaterThan",  # more than
    "lessThan",  # less than
    "recalled",  # recalled
    "secondary",  # secondary
    "target",  # target
    "verified",  # verified
    # Data structure 数据结构
    "indicatorValueStructure",  # indicator value structure
    # Others 其他
    "attributeNoteRule",  # attribute-note rule
    "basedOnRule",  # based-on rule
    "goalYearRule",  # goal-year rule
    "implementsRule",  # implements rule
    "leadPhraseRule",  # lead-phrase rule
    "numberedItemRule",  # numbered-item rule
    "periodRule",  # period rule
    "referenceRule",  # reference rule
    "targetValueRule",  # target-value rule
)
