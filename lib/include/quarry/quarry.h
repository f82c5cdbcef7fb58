// quarry/quarry.h: the whole public API in one include.
//
//   #include <quarry/quarry.h>
//
//   quarry::PipelineOptions opts;
//   opts.gazetteers = {"gazetteers"};
//   opts.rules = {"rules"};
//   auto pipeline = quarry::Pipeline::Compile(opts);
//   auto doc = quarry::Document::FromFile("corpus/nabil-iran-alqaeda-taliban.txt");
//   auto set = pipeline->Annotate(*doc);
//   std::cout << quarry::ToJson(*doc, *set);
//
// Headers: status.h (errors), document.h (text and offsets), annotation.h (the model),
// options.h, pipeline.h (compile and annotate), json.h (output), export.h (brat, CoNLL, the
// event table, HTML), timeml.h (TimeML in and out), version.h.
#ifndef QUARRY_QUARRY_H_
#define QUARRY_QUARRY_H_

#include "quarry/annotation.h"
#include "quarry/document.h"
#include "quarry/export.h"
#include "quarry/json.h"
#include "quarry/options.h"
#include "quarry/pipeline.h"
#include "quarry/status.h"
#include "quarry/timeml.h"
#include "quarry/version.h"

#endif  // QUARRY_QUARRY_H_
